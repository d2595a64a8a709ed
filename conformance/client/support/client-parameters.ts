/**
 * What a run of the client suite knows, handed to every scenario as cucumber world parameters: the
 * client launcher command (conformance/README.md, "The client launcher contract"), which optional
 * parts of the contract the client declares, and the run's limits.
 */

export interface ClientSuiteParameters {
  /** The command template, with {host} {port} {user} {password} {versions} placeholders. */
  command: string;
  /** The client reads the contract's command lines (/msg, /join, /say, /typing, ...). */
  commands: boolean;
  /** The client exits with the contract's exit codes and prints the codes it is told. */
  exitCodes: boolean;
  /** How long the client may take to do what it was just told to (connect, answer, close). */
  replyTimeoutMs: number;
  /** The account the client logs in with; the scripted server accepts exactly this. */
  user: string;
  password: string;
}

/** The one account of the client suite: any names do, the scripted server checks them itself. */
export const CLIENT_ACCOUNT = { user: "user1", password: "pass1" } as const;
