import { interrupted } from "./errors.js";
import { escapeControls } from "./output/escape.js";

/** Choice is one option of a selection prompt. */
export interface Choice<T> {
  name: string;
  value: T;
  description?: string;
}

/** Prompter asks the user on the terminal; commands only use it when IO says prompting is possible. */
export interface Prompter {
  /** pick lets the user search-and-select one of the choices (fuzzy by name and description). */
  pick<T>(message: string, choices: Choice<T>[]): Promise<T>;
  confirm(message: string, dflt?: boolean): Promise<boolean>;
  input(message: string, dflt?: string): Promise<string>;
}

/**
 * createPrompter returns a prompter over @inquirer/prompts, imported only when a prompt is shown.
 * Messages and choices (names from the server) show control characters as escapes.
 */
export function createPrompter(): Prompter {
  return {
    async pick(message, choices) {
      const { search } = await import("@inquirer/prompts");
      const shown = choices.map((c) => ({
        ...c,
        name: escapeControls(c.name),
        ...(c.description === undefined ? {} : { description: escapeControls(c.description) }),
      }));
      return asked(
        search({
          message: escapeControls(message),
          source: (term) => {
            const words = (term ?? "").toLowerCase().split(/\s+/).filter(Boolean);
            return shown.filter((c) => {
              const hay = `${c.name} ${c.description ?? ""}`.toLowerCase();
              return words.every((w) => fuzzyIncludes(hay, w));
            });
          },
        }),
      );
    },
    async confirm(message, dflt = false) {
      const { confirm } = await import("@inquirer/prompts");
      return asked(confirm({ message: escapeControls(message), default: dflt }));
    },
    async input(message, dflt) {
      const { input } = await import("@inquirer/prompts");
      const shown = escapeControls(message);
      return asked(input(dflt === undefined ? { message: shown } : { message: shown, default: dflt }));
    },
  };
}

/**
 * asked waits for an answer; Ctrl-C (inquirer's ExitPromptError) becomes the quiet `interrupted`
 * error (exit 130) instead of "User force closed the prompt with SIGINT".
 */
export async function asked<T>(answer: Promise<T>): Promise<T> {
  try {
    return await answer;
  } catch (err) {
    if (err instanceof Error && err.name === "ExitPromptError") throw interrupted();
    throw err;
  }
}

/** fuzzyIncludes tells whether the letters of `needle` appear in `hay` in order. */
export function fuzzyIncludes(hay: string, needle: string): boolean {
  let i = 0;
  for (const ch of hay) if (ch === needle[i]) i++;
  return i === needle.length;
}
