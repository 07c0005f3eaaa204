import { execFileSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import type net from "node:net";
import path from "node:path";

/** ShrinkwrapEntry is one package of an npm-shrinkwrap.json (lockfile version 3). */
interface ShrinkwrapEntry {
  version: string;
  resolved?: string;
  integrity?: string;
  [field: string]: unknown;
}

/** LoopbackRegistry is an npm registry on 127.0.0.1 serving the packages of one shrinkwrap. */
export interface LoopbackRegistry {
  url: string;
  /** requested lists the tarballs npm downloaded (package@version). */
  requested: string[];
  close(): Promise<void>;
}

/** npmCacheDir is the machine's npm cache (`npm config get cache`), which `npm ci` filled. */
export function npmCacheDir(): string {
  return execFileSync("npm", ["config", "get", "cache"], { encoding: "utf8" }).trim();
}

/** cachedTarball is where npm's cache keeps the content with this integrity (its first hash). */
function cachedTarball(cache: string, integrity: string): string {
  const [algorithm, digest] = integrity.split(/\s+/)[0]!.split("-", 2);
  if (!algorithm || !digest) throw new Error(`not an integrity: ${integrity}`);
  const hex = Buffer.from(digest, "base64").toString("hex");
  return path.join(
    cache,
    "_cacache",
    "content-v2",
    algorithm,
    hex.slice(0, 2),
    hex.slice(2, 4),
    hex.slice(4),
  );
}

/**
 * startLoopbackRegistry serves, for every package of the shrinkwrap, a packument with its one
 * locked version and that version's tarball from the npm cache (by integrity), so `npm install`
 * of the package needs no internet. It throws, naming the package, when the cache lacks the tarball
 * of a package that is not optional (run `npm ci` first).
 */
export async function startLoopbackRegistry(
  shrinkwrap: { packages: Record<string, ShrinkwrapEntry> },
  cache: string,
): Promise<LoopbackRegistry> {
  const packages = new Map<string, { entry: ShrinkwrapEntry; file: string }>();
  for (const [at, entry] of Object.entries(shrinkwrap.packages)) {
    if (!at) continue;
    const name = at.slice(at.lastIndexOf("node_modules/") + "node_modules/".length);
    const file = cachedTarball(cache, entry.integrity ?? "");
    // Optional packages (the keyring's builds for each platform) are in the cache for this platform only.
    if (!entry.optional && !fs.existsSync(file)) {
      throw new Error(`the npm cache (${cache}) lacks ${name}@${entry.version}: run \`npm ci\` first`);
    }
    packages.set(`${name}@${entry.version}`, { entry, file });
  }
  const requested: string[] = [];
  let url = "";
  const server = http.createServer((req, res) => {
    const reqPath = decodeURIComponent(req.url ?? "/").slice(1);
    const tarball = /^-\/tarball\/(.+)$/.exec(reqPath)?.[1];
    if (tarball && packages.has(tarball) && fs.existsSync(packages.get(tarball)!.file)) {
      requested.push(tarball);
      res.writeHead(200, { "content-type": "application/octet-stream" });
      fs.createReadStream(packages.get(tarball)!.file).pipe(res);
      return;
    }
    const versions = [...packages].filter(([key]) => key.slice(0, key.lastIndexOf("@")) === reqPath);
    if (versions.length === 0) {
      res.writeHead(404, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: "not found" }));
      return;
    }
    const packument = {
      name: reqPath,
      "dist-tags": { latest: versions[0]![1].entry.version },
      versions: Object.fromEntries(
        versions.map(([key, { entry }]) => {
          const manifest: Record<string, unknown> = {
            ...entry,
            name: reqPath,
            dist: { tarball: `${url}/-/tarball/${key}`, integrity: entry.integrity },
          };
          // Lockfile-only fields; a registry manifest has dist instead.
          for (const field of ["resolved", "integrity", "optional"]) delete manifest[field];
          return [entry.version, manifest];
        }),
      ),
    };
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(packument));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  return {
    url,
    requested,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
