import { execFile } from "node:child_process";

/** PrivateTmux is a tmux server of the test's own (its own socket), so its sessions neither see nor disturb any other. */
export interface PrivateTmux {
  /** tmux runs one tmux command on this server and returns what it printed. */
  tmux(args: string[]): Promise<string>;
  /** waitForPane polls a session's pane until its text matches; the test's own timeout bounds it. */
  waitForPane(session: string, re: RegExp): Promise<string>;
}

/** privateTmux names a tmux server after the test and this process. */
export function privateTmux(name: string): PrivateTmux {
  const socket = `metalctl-${name}-${process.pid}`;
  const tmux = (args: string[]) =>
    new Promise<string>((resolve, reject) => {
      execFile("tmux", ["-L", socket, ...args], (err, stdout, stderr) =>
        err ? reject(new Error(stderr || err.message)) : resolve(stdout),
      );
    });
  const waitForPane = async (session: string, re: RegExp) => {
    for (;;) {
      const screen = await tmux(["capture-pane", "-p", "-J", "-S", "-200", "-t", session]);
      if (re.test(screen)) return screen;
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  return { tmux, waitForPane };
}
