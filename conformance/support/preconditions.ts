/**
 * What the suite needs of the server before it judges anything: every test account it will log in
 * with can log in (it exists, has the fixture's password, and nobody else holds it), and the unknown
 * user does not exist. A server that is simply not provisioned for the suite (a `make server` with its
 * demo users, two `make client`s open on user1 and user2) is not a server that fails 74 MUSTs; the run
 * stops with exit 2 and one line saying what to provision.
 *
 * Only clear answers stop the run: BAD_CREDENTIALS or ALREADY_LOGGED_IN for a fixture account, OK for
 * the unknown user when a made-up name is refused. A server that cannot be reached, does not negotiate
 * or answers wrongly is left for the scenarios to judge, with their transcripts.
 */
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import { SUPPORTED_VERSIONS } from "../../generated/index.ts";
import { type Account, type Accounts, loadAccounts } from "./accounts.ts";
import { ClientSession } from "./client-session.ts";
import { type LoginOutcome, logInCrowd } from "./login-crowd.ts";
import { RawPeer } from "./raw-peer.ts";
import type { SuiteParameters } from "./suite-parameters.ts";

/** The password the login scenarios try the unknown user with (login.feature). */
const UNKNOWN_USER_PASSWORD = "not-the-password";
/** Precondition logins in flight at once: enough to be quick, few enough for a slow password hash. */
const CHECK_CONCURRENCY = 8;

/** Why the suite cannot judge this server as provisioned, in one line; undefined when it can. */
export async function unmetPreconditions(parameters: SuiteParameters): Promise<string | undefined> {
  const fixture = loadAccounts(parameters.accountsFile);
  const open = async (name: string) =>
    new ClientSession(
      name,
      await RawPeer.connect(parameters.target, name, parameters.replyTimeoutMs),
      parameters,
    );
  const version = await negotiatedVersion(open);
  if (version === undefined) return undefined;

  const deadline = performance.now() + parameters.setupTimeoutMs;
  const crowd = { open, version, deadline, concurrency: CHECK_CONCURRENCY };
  const outcomes = await logInCrowd(accountsToTry(fixture, parameters.sessions), crowd);
  await logOut(outcomes, parameters);
  const missing = names(outcomes, "BAD_CREDENTIALS");
  const held = names(outcomes, "ALREADY_LOGGED_IN");
  const unknownExists = await unknownUserExists(fixture.unknownUser, crowd, parameters);

  const problems: string[] = [];
  if (missing.length > 0) {
    problems.push(`${list(missing)} cannot log in with the fixture's password (not provisioned?)`);
  }
  if (held.length > 0) {
    problems.push(
      `${list(held)} ${held.length === 1 ? "is" : "are"} logged in on another connection`,
    );
  }
  if (unknownExists) {
    problems.push(
      `"${fixture.unknownUser}" exists (it logged in with "${UNKNOWN_USER_PASSWORD}"), but the suite uses it as the unknown user`,
    );
  }
  if (problems.length === 0) return undefined;
  return (
    `the server is not provisioned for the suite: ${problems.join("; ")}. Provision the accounts ` +
    `of ${parameters.accountsFile} (conformance/README.md, "Test accounts"), close other clients ` +
    "using them, and run again."
  );
}

/**
 * Every account scenarios name (but the edge cases, accounts.ts), and a sample of the load accounts: the first, the last the
 * concurrency scenario takes and the last of all. Load accounts are provisioned all at once or not at
 * all, so the sample finds a server without them; trying all 200 would cost 200 password hashes a run.
 * A load account missing on its own makes its scenario unsupported (world.ts logInLoadSessions).
 */
function accountsToTry(fixture: Accounts, sessions: number): Account[] {
  const { load } = fixture;
  const sample = [load[0], load[sessions - 1], load.at(-1)].filter((a) => a !== undefined);
  return [...fixture.accounts.filter((account) => !account.edgeCase), ...new Set(sample)];
}

/** The highest version the server chooses for the suite's offer; undefined if it will not say. */
async function negotiatedVersion(
  open: (name: string) => Promise<ClientSession>,
): Promise<number | undefined> {
  let probe: ClientSession | undefined;
  try {
    probe = await open("precondition probe");
    const response = await probe.negotiate(SUPPORTED_VERSIONS);
    return response.status === "OK" ? response.chosenVersion : undefined;
  } catch {
    return undefined;
  } finally {
    probe?.peer.destroy();
  }
}

/**
 * Whether the unknown user logs in. Only if a made-up name is refused meanwhile: a server that lets
 * anyone in does not have the account, it breaks the login rules, and the scenarios will say so.
 */
async function unknownUserExists(
  name: string,
  crowd: Parameters<typeof logInCrowd>[1],
  parameters: SuiteParameters,
): Promise<boolean> {
  const madeUp = `no-such-${randomBytes(6).toString("hex")}`;
  const outcomes = await logInCrowd(
    [
      { name, password: UNKNOWN_USER_PASSWORD },
      { name: madeUp, password: UNKNOWN_USER_PASSWORD },
    ],
    crowd,
  );
  await logOut(outcomes, parameters);
  return outcomes[0]?.kind === "ok" && outcomes[1]?.kind === "refused";
}

/** Logs out every session that logged in and closes the rest, so the accounts are free for the run. */
async function logOut(outcomes: readonly LoginOutcome[], parameters: SuiteParameters) {
  await Promise.all(
    outcomes.map((outcome) =>
      "session" in outcome ? outcome.session.closeQuietly(parameters.replyTimeoutMs) : undefined,
    ),
  );
}

function names(outcomes: readonly LoginOutcome[], status: string): string[] {
  return outcomes.flatMap((outcome) =>
    outcome.kind === "refused" && outcome.status === status ? [outcome.account.name] : [],
  );
}

/** Names, shortened to fit one line. */
function list(accountNames: readonly string[]): string {
  if (accountNames.length <= 8) return accountNames.join(", ");
  return `${accountNames.slice(0, 6).join(", ")} and ${accountNames.length - 6} more`;
}
