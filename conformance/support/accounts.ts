/**
 * The test accounts (conformance/fixtures/accounts.json). The suite cannot create accounts over the wire,
 * so they are provisioned on the server under test before a run; this is the suite's copy of the list.
 */
import { readFileSync } from "node:fs";

export interface Account {
  name: string;
  password: string;
  /**
   * An edge case (mixed case, non-ASCII, the longest name): not checked before a run, since a
   * server that folds or normalises names cannot be told from one missing them; the scenarios
   * that use it judge it.
   */
  edgeCase?: boolean;
}

export interface Accounts {
  /** Accounts scenarios name directly (user1, user2, ...). */
  accounts: Account[];
  /** Accounts the concurrency scenario takes in order, one per session. */
  load: Account[];
  /** A name that must not exist on the server. */
  unknownUser: string;
}

const cache = new Map<string, Accounts>();

export function loadAccounts(file: string): Accounts {
  let accounts = cache.get(file);
  if (!accounts) {
    accounts = JSON.parse(readFileSync(file, "utf8")) as Accounts;
    cache.set(file, accounts);
  }
  return accounts;
}

/** Every account, as the `NAME PASSWORD` lines `parrot useradd --batch` (and the README) use. */
export function accountLines(accounts: Accounts): string {
  return [...accounts.accounts, ...accounts.load]
    .map((account) => `${account.name} ${account.password}\n`)
    .join("");
}
