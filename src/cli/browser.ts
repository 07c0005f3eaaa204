/** BrowserOpener opens a URL in the user's browser; it resolves false when it could not start one. */
export type BrowserOpener = (url: string) => Promise<boolean>;

/**
 * createBrowserOpener opens URLs with the `open` package (macOS `open`, PowerShell on Windows and
 * WSL, `xdg-open` elsewhere), imported on first use; `$BROWSER`, as gh and git honour it, names
 * the program instead. The URL is always one argument, never shell text.
 */
export function createBrowserOpener(env: NodeJS.ProcessEnv = process.env): BrowserOpener {
  return async (url) => {
    try {
      const { default: open } = await import("open");
      await open(url, env.BROWSER ? { app: { name: env.BROWSER } } : {});
      return true;
    } catch {
      return false;
    }
  };
}

/**
 * hasDisplay tells whether a local browser can be shown: not over SSH; on Linux a display exists or
 * it is WSL, whose Windows side has the browser.
 */
export function hasDisplay(env: NodeJS.ProcessEnv = process.env, platform = process.platform): boolean {
  if (env.SSH_CONNECTION || env.SSH_TTY) return false;
  if (platform === "linux" || platform === "freebsd" || platform === "openbsd") {
    return Boolean(env.DISPLAY || env.WAYLAND_DISPLAY || env.WSL_DISTRO_NAME);
  }
  return true;
}
