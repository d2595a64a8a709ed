/**
 * Runs a generator program (the TypeScript load generators, the native one) in its own process and reads
 * the JSON result it prints as its last stdout line. Generators never run in the coordinator's event loop:
 * their timing would be disturbed by the coordinator's own work.
 */
import { execFile } from "node:child_process";

export function runJsonProgram<T>(
  what: string,
  command: string,
  args: readonly string[],
  cwd: string,
): Promise<T> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd, maxBuffer: 1 << 22 }, (error, stdout, stderr) => {
      if (error) {
        reject(new Error(`${what}: ${stderr.trim() || error.message}`));
        return;
      }
      const line = stdout.trim().split("\n").pop() ?? "";
      try {
        resolve(JSON.parse(line) as T);
      } catch {
        reject(new Error(`${what} printed no result: ${stdout.slice(-2000)}`));
      }
    });
  });
}
