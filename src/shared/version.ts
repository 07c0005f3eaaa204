import { readFileSync } from "node:fs";

// Sources run from src/shared (tests, tsx) and from dist/src/shared (built), so package.json is two or three levels up.
const candidates = ["../../package.json", "../../../package.json"];

/** packageVersion is the version from package.json; both the CLI and the server report it. */
export const packageVersion: string =
  candidates
    .map((rel) => {
      try {
        const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), "utf8")) as {
          name?: string;
          version?: string;
        };
        return pkg.name === "metalctl" ? pkg.version : undefined;
      } catch {
        return undefined;
      }
    })
    .find((v) => v !== undefined) ?? "0.0.0-dev";
