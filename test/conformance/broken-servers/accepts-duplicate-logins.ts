/**
 * Broken on purpose: lets a user log in any number of times at once. The login registry says yes to
 * everyone, so ALREADY_LOGGED_IN is never answered (REQ-5.3 broken); everything else is the reference.
 */
import type { LoginRegistry } from "../../../server/login-registry.ts";
import { startVariant } from "./start-variant.ts";

class EveryoneWelcome implements LoginRegistry {
  private readonly holders = new Set<object>();

  acquire(_user: string, holder: object): boolean {
    this.holders.add(holder);
    return true;
  }

  release(_user: string, holder: object): void {
    this.holders.delete(holder);
  }

  get size(): number {
    return this.holders.size;
  }
}

await startVariant("accepts-duplicate-logins", () => ({ logins: new EveryoneWelcome() }));
