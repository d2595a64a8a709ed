/**
 * Broken on purpose: usernames are looked up lower-cased, as if names were case-insensitive
 * (REQ-5.10: exact byte strings). `User1` cannot log in with its own password, `USER1` logs in as
 * `user1`, and `Ünïcödé` is not found. The authenticator swapped in wraps the reference user store.
 */
import { createLogger } from "../../../server/logger.ts";
import { type Authenticator, UserStore } from "../../../server/user-store.ts";
import { startVariant } from "./start-variant.ts";

let store: Promise<UserStore> | undefined;

await startVariant("folds-usernames", (options) => {
  const logger = options.logger ?? createLogger({ level: "warn" });
  const folding: Authenticator = {
    async verify(name, password) {
      store ??= UserStore.open(options.usersFile ?? "users.txt", { logger });
      return (await store).verify(name.toLowerCase(), password);
    },
  };
  return { authenticator: folding };
});
