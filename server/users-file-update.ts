/**
 * One change to the users file, atomic for readers and writers alike. Readers (a running server)
 * never see half a file: writeUsersFile renames a complete one over it. Writers (two `parrot
 * useradd`/`userdel`/`passwd` at once) are serialised by a lock file created with O_EXCL next
 * to it, so one's read-change-write cannot overwrite the other's change.
 */
import { mkdir, open, unlink } from "node:fs/promises";
import { dirname } from "node:path";
import { readUsersFile, type UsersFileLine, writeUsersFile } from "./users-file.ts";

const LOCK_RETRY_MS = 50;
/** Longer than any one change takes (a few scrypt hashes are computed before the lock). */
const LOCK_WAIT_MS = 10_000;

export class UsersFileBusyError extends Error {
  override name = "UsersFileBusyError";
}

/**
 * Reads `path` (undefined when missing), lets `change` return the new lines (or undefined to
 * write nothing), writes them, all under the lock. Returns what `change` returned.
 */
export async function updateUsersFile(
  path: string,
  change: (lines: UsersFileLine[] | undefined) => UsersFileLine[] | undefined,
): Promise<UsersFileLine[] | undefined> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const lockPath = `${path}.lock`;
  const lock = await acquire(lockPath);
  try {
    const updated = change(await readUsersFile(path));
    if (updated !== undefined) await writeUsersFile(path, updated);
    return updated;
  } finally {
    await lock.close();
    await unlink(lockPath);
  }
}

async function acquire(lockPath: string) {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      return await open(lockPath, "wx", 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      if (Date.now() >= deadline) {
        throw new UsersFileBusyError(
          `another command has been changing the users file for ${LOCK_WAIT_MS / 1000} s ` +
            `(${lockPath} exists; remove it if no parrot command is running)`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, LOCK_RETRY_MS));
    }
  }
}
