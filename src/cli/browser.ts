import { spawn } from "node:child_process";

/** BrowserOpener opens a URL in the user's browser; it resolves false when it could not start one. */
export type BrowserOpener = (url: string) => Promise<boolean>;

/**
 * createBrowserOpener uses `$BROWSER` when set (as gh and git do), else `open` on macOS,
 * `cmd /c start` on Windows and `xdg-open` elsewhere. The URL is passed as an argument, never
 * through a shell.
 */
export function createBrowserOpener(env: NodeJS.ProcessEnv = process.env): BrowserOpener {
  return (url) => {
    const [cmd, ...args] = env.BROWSER
      ? [env.BROWSER, url]
      : process.platform === "darwin"
        ? ["open", url]
        : process.platform === "win32"
          ? ["cmd", "/c", "start", '""', url]
          : ["xdg-open", url];
    return new Promise((resolve) => {
      const child = spawn(cmd!, args, { stdio: "ignore", detached: true });
      child.once("error", () => resolve(false));
      child.once("spawn", () => {
        child.unref();
        resolve(true);
      });
    });
  };
}

/** hasDisplay tells whether a local browser can be shown: not over SSH, and on Linux a display exists. */
export function hasDisplay(env: NodeJS.ProcessEnv = process.env, platform = process.platform): boolean {
  if (env.SSH_CONNECTION || env.SSH_TTY) return false;
  if (platform === "linux" || platform === "freebsd" || platform === "openbsd") {
    return Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);
  }
  return true;
}
