/**
 * Not broken, only slow: the reference server with a password check that takes 150 ms and runs one at
 * a time, as a server on a small machine with a strong KDF would. Started with a short handshake
 * timeout, ten logins at once are more than it can check before the later ones time out: the
 * conformance suite's load set-up must still get its sessions in (retrying, with fewer in flight), and
 * must never blame the scenario's requirements for the wait. The authenticator is the one swap.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { createLogger } from "../../../server/logger.ts";
import { UserStore } from "../../../server/user-store.ts";
import { startVariant } from "./start-variant.ts";

const CHECK_MS = 150;

await startVariant("checks-passwords-slowly", (options) => {
  const store = UserStore.open(options.usersFile ?? "", {
    logger: options.logger ?? createLogger({ level: "warn" }),
  });
  let queue: Promise<unknown> = Promise.resolve();
  return {
    authenticator: {
      verify(name: string, password: string): Promise<boolean> {
        const check = queue.then(async () => {
          await sleep(CHECK_MS);
          return (await store).verify(name, password);
        });
        queue = check.catch(() => undefined);
        return check;
      },
    },
  };
});
