/**
 * A QUIC connection the suite opens itself, to judge the QUIC binding (spec §14) on what lies under
 * the byte stream: whether a handshake is refused, and with which application error code the server
 * closes the QUIC connection. Above that its Parrot stream is an ordinary connection: a RawPeer over
 * a QuicByteStream (transport/quic/), so ClientSession and every other step work on it.
 */
import { performance } from "node:perf_hooks";
import { events, QUICClient } from "@matrixai/quic";
import { formatAddress } from "../../transport/address.ts";
import { QuicByteStream } from "../../transport/quic/quic-byte-stream.ts";
import { certificateVerifier, trustAnchors } from "../../transport/quic/quic-certificate-check.ts";
import {
  commonQuicConfig,
  DEFAULT_QUIC_IDLE_TIMEOUT_MS,
  PARROT_ALPN,
  QUIC_APP_ERROR,
  reasonToCode,
  silentQuicLogger,
} from "../../transport/quic/quic-settings.ts";
import { clientCrypto } from "../../transport/quic/quic-token-crypto.ts";
import { streamWire } from "./peer-wire.ts";
import { RawPeer } from "./raw-peer.ts";
import type { TargetAddress } from "./suite-parameters.ts";

/** How the QUIC connection ended: by a CONNECTION_CLOSE from either side, or without one. */
export interface QuicEnd {
  /** An application close (the binding's codes, §14.2), else a transport one. */
  isApp: boolean | undefined;
  errorCode: number | undefined;
  /** performance.now() when the suite saw it. */
  at: number;
}

export type QuicHandshake =
  | { kind: "connected"; probe: QuicProbe }
  /** The handshake failed with this transport error code (e.g. CRYPTO_ERROR 0x178). */
  | { kind: "refused"; errorCode: number | undefined; reason: string };

/** Dials the target offering the ALPN identifiers `alpn`, verifying it as the run says. */
export async function openQuic(
  target: TargetAddress,
  alpn: readonly string[],
  label: string,
  timeoutMs: number,
): Promise<QuicHandshake> {
  const startedAt = performance.now();
  const serverName = target.servername ?? target.host;
  let client: QUICClient;
  try {
    client = await QUICClient.createQUICClient(
      {
        host: target.host,
        port: target.port,
        serverName,
        crypto: clientCrypto(),
        config: {
          ...commonQuicConfig(DEFAULT_QUIC_IDLE_TIMEOUT_MS),
          applicationProtos: [...alpn],
          ...(target.insecure
            ? { verifyPeer: false }
            : {
                verifyPeer: true,
                verifyCallback: certificateVerifier(serverName, trustAnchors(target.ca)),
              }),
          initialMaxStreamsBidi: 0,
        },
        reasonToCode,
        logger: silentQuicLogger(),
      },
      { timer: timeoutMs },
    );
  } catch (error) {
    const data = (error as { data?: { errorCode?: number } }).data;
    return { kind: "refused", errorCode: data?.errorCode, reason: (error as Error).message };
  }
  return { kind: "connected", probe: new QuicProbe(client, target, label, startedAt) };
}

export class QuicProbe {
  /** Resolves once the QUIC connection has ended, however. */
  readonly ended: Promise<QuicEnd>;
  /** When the handshake had completed. */
  readonly connectedAt = performance.now();
  private readonly client: QUICClient;
  private parrotPeer: RawPeer | undefined;

  constructor(
    client: QUICClient,
    private readonly target: TargetAddress,
    private readonly label: string,
    readonly connectStartedAt: number,
  ) {
    this.client = client;
    let closeCode: { isApp?: boolean; errorCode?: number } | undefined;
    // The close code comes with the error event that precedes the stop (none for a clean close).
    client.connection.addEventListener(events.EventQUICConnectionError.name, (event) => {
      closeCode = (event as unknown as { detail: { data?: typeof closeCode } }).detail.data;
    });
    client.addEventListener(events.EventQUICClientError.name, () => {});
    this.ended = new Promise((resolve) => {
      client.addEventListener(
        events.EventQUICClientDestroyed.name,
        () =>
          resolve({
            isApp: closeCode?.isApp,
            errorCode: closeCode?.errorCode,
            at: performance.now(),
          }),
        { once: true },
      );
    });
  }

  /** The Parrot stream, opened on first use (REQ-14.2: the client opens it). */
  get peer(): RawPeer {
    if (this.parrotPeer === undefined) {
      // Once the stream is closed both ways, REQ-14.5 lets either side close the connection with
      // NO_ERROR: the suite leaves that to the server, to see it do so. An abort it sends itself.
      const stop = (errorCode: number) => {
        if (this.client.closed || errorCode === QUIC_APP_ERROR.NO_ERROR) return;
        this.client.destroy({ isApp: true, errorCode, force: true }).catch(() => {});
      };
      const stream = new QuicByteStream(
        this.client.connection.newStream("bidi"),
        formatAddress(this.target.host, this.target.port),
        stop,
      );
      void this.ended.then(() => stream.connectionClosed(undefined));
      this.parrotPeer = RawPeer.over(streamWire(stream), this.label, this.connectStartedAt);
    }
    return this.parrotPeer;
  }

  /** Closes the connection at once (the scenario is done with it). */
  destroy(): void {
    if (!this.client.closed) this.client.destroy({ force: true }).catch(() => {});
  }
}

export { PARROT_ALPN, QUIC_APP_ERROR };
