/**
 * Installs a packed tarball into an empty directory the way a user's machine would, without the
 * network: `npm install --offline` against a lock file listing the package and its run-time
 * dependencies at the versions this repository locks (package-lock.json, devDependencies left
 * out), so npm takes every tarball from its cache by integrity and fetches nothing.
 */
import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const ROOT = new URL("../../", import.meta.url);

interface LockEntry {
  dev?: boolean;
  [field: string]: unknown;
}

export async function installOffline(tarball: string, dir: string): Promise<void> {
  const manifest = JSON.parse(readFileSync(new URL("package.json", ROOT), "utf8")) as {
    name: string;
    version: string;
    dependencies: Record<string, string>;
    bin: Record<string, string>;
  };
  const lock = JSON.parse(readFileSync(new URL("package-lock.json", ROOT), "utf8")) as {
    packages: Record<string, LockEntry>;
  };
  const spec = `file:${basename(tarball)}`;
  const packages: Record<string, unknown> = {
    "": { name: "parrot-install-test", dependencies: { [manifest.name]: spec } },
    [`node_modules/${manifest.name}`]: {
      version: manifest.version,
      resolved: spec,
      dependencies: manifest.dependencies,
      bin: manifest.bin,
    },
  };
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (path.startsWith("node_modules/") && entry.dev !== true) packages[path] = entry;
  }
  writeFileSync(
    join(dir, "package.json"),
    JSON.stringify({
      name: "parrot-install-test",
      private: true,
      dependencies: { [manifest.name]: spec },
    }),
  );
  writeFileSync(
    join(dir, "package-lock.json"),
    JSON.stringify({ name: "parrot-install-test", lockfileVersion: 3, requires: true, packages }),
  );
  // `npm install`, not `npm ci`: as the Makefile says, @matrixai/quic names optional binaries for
  // other platforms that npm ci wants in the lock.
  await run("npm", ["install", "--offline", "--no-audit", "--no-fund", "--loglevel=error"], {
    cwd: dir,
    timeout: 600_000,
  });
}
