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
  /** The client speaks version 3: its /join and /history lines and output lines (--client-v3). */
  v3: boolean;
  /**
   * The command for scenarios that drop the connection and wait for the client to come back
   * (@reconnect; --client-reconnect), same placeholders; null: those scenarios are unsupported.
   */
  reconnectCommand: string | null;
  /** How long the client may take to do what it was just told to (connect, answer, close). */
  replyTimeoutMs: number;
  /** The account the client logs in with; the scripted server accepts exactly this. */
  user: string;
  password: string;
}

/** The one account of the client suite: any names do, the scripted server checks them itself. */
export const CLIENT_ACCOUNT = { user: "user1", password: "pass1" } as const;
