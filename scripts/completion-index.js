#!/usr/bin/env node
// Writes dist/completion-index.json from oclif.manifest.json: what a TAB reads, without help texts and
// with each global flag once (see src/cli/completion/compact-manifest.ts). Runs after `oclif manifest`.
import fs from "node:fs";
import path from "node:path";
import { compactManifest } from "../dist/src/cli/completion/compact-manifest.js";

const root = path.resolve(import.meta.dirname, "..");
const manifest = JSON.parse(fs.readFileSync(path.join(root, "oclif.manifest.json"), "utf8"));
fs.writeFileSync(path.join(root, "dist/completion-index.json"), JSON.stringify(compactManifest(manifest)));
