/**
 * The client's half of the handshake (spec §5, §6): the versions it offered, the agreement the
 * server's VERSION_RESPONSE brought, the name it logs in as, and the answers negotiate() and
 * login() wait for. The handlers (version-response.ts, login-response.ts) settle the waits; a
 * session that ends first rejects them with its failure (`cancel`).
 */
import type { LoginResponsePdu } from "../generated/index.ts";
import type { Negotiated } from "./negotiated.ts";
import { Waiter } from "./waiter.ts";

export class Handshake {
  /** The versions of the VERSION_REQUEST sent, empty before it. */
  offered: readonly number[] = [];
  /** What VERSION_RESPONSE OK agreed on; undefined before it. */
  agreement: Negotiated | undefined;
  /** The username of the LOGIN_REQUEST sent. */
  username: string | undefined;
  private negotiation: Waiter<Negotiated> | undefined;
  private login: Waiter<LoginResponsePdu> | undefined;
  /** A version-3 LOGIN_RESPONSE OK held until the PDU after it (SESSION_INFO, REQ-15.14). */
  private loginBeforeInfo: LoginResponsePdu | undefined;

  /** A VERSION_REQUEST offering `versions` goes out now: its answer, once agreed. */
  negotiating(versions: readonly number[]): Promise<Negotiated> {
    this.offered = versions;
    this.negotiation = new Waiter<Negotiated>();
    return this.negotiation.promise;
  }

  /** A LOGIN_REQUEST for `username` goes out now: its answer, whatever the status. */
  loggingIn(username: string): Promise<LoginResponsePdu> {
    if (this.login !== undefined) throw new Error("a login is already in progress");
    this.login = new Waiter<LoginResponsePdu>();
    this.username = username;
    return this.login.promise;
  }

  agreed(negotiated: Negotiated): void {
    this.agreement = negotiated;
    this.negotiation?.resolve(negotiated);
    this.negotiation = undefined;
  }

  /**
   * Hands the answer to the waiting login(); false if no login was waiting for one. With
   * `infoFollows` (version 3) an OK is held until the next PDU has been handled (`received`):
   * what the caller sends next may depend on SESSION_INFO (max_page, REQ-15.27), right behind.
   */
  loginAnswered(pdu: LoginResponsePdu, infoFollows: boolean): boolean {
    const waiter = this.login;
    if (waiter === undefined) return false;
    if (pdu.status === "OK" && infoFollows) {
      this.loginBeforeInfo = pdu;
      return true;
    }
    this.login = undefined;
    waiter.resolve(pdu);
    return true;
  }

  /** A PDU was handled: a login answer held for the one after it is handed out now. */
  received(pdu: unknown): void {
    const held = this.loginBeforeInfo;
    if (held === undefined || pdu === held) return;
    this.loginBeforeInfo = undefined;
    this.login?.resolve(held);
    this.login = undefined;
  }

  /** The session ended: whoever still waits hears why. */
  cancel(cause: Error): void {
    this.negotiation?.reject(cause);
    this.login?.reject(cause);
    this.negotiation = undefined;
    this.login = undefined;
  }
}
