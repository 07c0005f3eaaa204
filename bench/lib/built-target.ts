// Turns bench/lib/throughput-target.ts into one plain JavaScript file that imports the server from a
// built dist/ (what `metal-apiserver` runs), so the measured process pays no TypeScript loader.
import fs from "node:fs";
import path from "node:path";
import { build, type Plugin } from "esbuild";

/** staleSource names a server source file newer than its compiled module in distDir, or one never compiled. */
function staleSource(root: string, distDir: string): string | undefined {
  const srcDir = path.join(root, "src");
  for (const entry of fs.readdirSync(srcDir, { recursive: true })) {
    const rel = entry.toString();
    if (!rel.endsWith(".ts") || rel.endsWith(".d.ts") || rel.startsWith(`cli${path.sep}`)) continue;
    const built = path.join(distDir, "src", rel.replace(/\.ts$/, ".js"));
    const builtAt = fs.statSync(built, { throwIfNoEntry: false })?.mtimeMs;
    if (builtAt === undefined || builtAt < fs.statSync(path.join(srcDir, rel)).mtimeMs) {
      return path.join("src", rel);
    }
  }
  return undefined;
}

/** fromDist makes every import of a module under `root/src` an external import of its compiled file in distDir. */
function fromDist(root: string, distDir: string): Plugin {
  const srcDir = path.join(root, "src") + path.sep;
  return {
    name: "server-from-dist",
    setup(b) {
      b.onResolve({ filter: /^\.\.?\// }, (args) => {
        const file = path.resolve(args.resolveDir, args.path);
        if (!file.startsWith(srcDir)) return undefined;
        return { path: path.join(distDir, "src", path.relative(srcDir, file)), external: true };
      });
    },
  };
}

/**
 * builtTarget writes the throughput target as `distDir/bench/throughput-target.js`, importing the
 * server from distDir, and returns its path. It refuses a dist/ of this tree that is missing or older
 * than a server source, since the figures would then describe other code.
 */
export async function builtTarget(root: string, distDir: string): Promise<string> {
  if (distDir === path.join(root, "dist")) {
    const stale = staleSource(root, distDir);
    if (stale) {
      throw new Error(
        `dist/ is missing or older than ${stale}: the bench measures the built server, run \`npm run build\` first`,
      );
    }
  } else if (!fs.existsSync(path.join(distDir, "src", "server", "server.js"))) {
    throw new Error(`${distDir} holds no built server (src/server/server.js)`);
  }
  const outfile = path.join(distDir, "bench", "throughput-target.js");
  await build({
    absWorkingDir: root,
    entryPoints: [path.join(root, "bench", "lib", "throughput-target.ts")],
    outfile,
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    // Packages resolve from the output file's place, which must lie in a tree with node_modules.
    packages: "external",
    logLevel: "warning",
    plugins: [fromDist(root, distDir)],
  });
  return outfile;
}
