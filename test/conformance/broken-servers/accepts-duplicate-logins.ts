/**
 * Broken on purpose: lets a user log in any number of times at once. The login registry hands a
 * lease to everyone, so ALREADY_LOGGED_IN is never answered (REQ-5.3 broken); everything else is the
 * reference.
 */
import type { LoginLease, LoginRegistry } from "../../../server/login-registry.ts";
import { startVariant } from "./start-variant.ts";

const everyoneWelcome: LoginRegistry = {
  acquire(user: string): Promise<LoginLease> {
    return Promise.resolve({ user, release() {} });
  },
};

await startVariant("accepts-duplicate-logins", () => ({ logins: everyoneWelcome }));
