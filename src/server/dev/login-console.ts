/** LoginConsole is a simulated machine's serial console: boot messages, then a getty login prompt. */
export interface LoginConsole {
  /** boot prints the tail of the kernel and init messages and the first login prompt. */
  boot(): void;
  /** type handles keystrokes as a terminal sends them. */
  type(input: Uint8Array): void;
}

const BOOT_LINES = [
  "[    0.000000] Linux version 6.8.0-49-generic (buildd@metal-stack) #49-Ubuntu SMP PREEMPT_DYNAMIC",
  "[    0.000000] Command line: BOOT_IMAGE=/boot/vmlinuz root=LABEL=root console=ttyS1,115200n8",
  "[    1.873402] EXT4-fs (sda2): mounted filesystem with ordered data mode",
  "[    2.418230] systemd[1]: Reached target multi-user.target - Multi-User System.",
];

const CR = 0x0d;
const LF = 0x0a;
const ETX = 0x03; // Ctrl-C
const BS = 0x08;
const DEL = 0x7f;
const ESC = 0x1b;

/**
 * createLoginConsole plays a getty on `hostname`'s console, writing through `write`: the login name
 * echoes as typed (backspace erases), the password does not, and every login is refused. Escape
 * sequences (arrow keys) and other control characters are ignored, Ctrl-C starts over.
 */
export function createLoginConsole(hostname: string, write: (text: string) => void): LoginConsole {
  let mode: "login" | "password" = "login";
  let line = "";
  // 0: text, 1: after ESC, 2: inside a CSI sequence (ESC [ ... final byte).
  let inEscape = 0;
  // A terminal sends CR for Enter; some send CR LF, which must not count as two.
  let afterCr = false;
  const prompt = () => {
    mode = "login";
    line = "";
    write(`${hostname} login: `);
  };
  const enter = () => {
    write("\r\n");
    if (mode === "login") {
      if (line === "") return prompt();
      mode = "password";
      line = "";
      write("Password: ");
    } else {
      write("\r\nLogin incorrect\r\n");
      prompt();
    }
  };
  return {
    boot() {
      write(`\r\n${BOOT_LINES.join("\r\n")}\r\n\r\nUbuntu 24.04.1 LTS ${hostname} ttyS1\r\n\r\n`);
      prompt();
    },
    type(input) {
      for (const byte of input) {
        const crLf = afterCr && byte === LF;
        afterCr = byte === CR;
        if (crLf) continue;
        if (inEscape === 1) {
          inEscape = byte === 0x5b ? 2 : 0;
          continue;
        }
        if (inEscape === 2) {
          if (byte >= 0x40 && byte <= 0x7e) inEscape = 0;
          continue;
        }
        if (byte === ESC) inEscape = 1;
        else if (byte === CR || byte === LF) enter();
        else if (byte === ETX) {
          write("^C\r\n");
          prompt();
        } else if (byte === BS || byte === DEL) {
          if (line.length > 0) {
            line = line.slice(0, -1);
            if (mode === "login") write("\b \b");
          }
        } else if (byte >= 0x20 && byte < 0x7f) {
          line += String.fromCharCode(byte);
          if (mode === "login") write(String.fromCharCode(byte));
        }
      }
    },
  };
}
