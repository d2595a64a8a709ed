/**
 * Verifies a QUIC server's certificate in JavaScript, because the native verification of
 * @matrixai/quic (BoringSSL through quiche) refuses every certificate when the server name is an
 * IP address, even one the certificate lists as an IP SAN. node:crypto's X509Certificate checks the
 * chain up to a trusted CA (the `--ca` file, else node's bundled roots), the validity dates, and
 * the name (`checkHost` for names, `checkIP` for addresses), as node:tls does for TLS.
 */
import { X509Certificate } from "node:crypto";
import { isIP } from "node:net";
import { rootCertificates } from "node:tls";

/** A TLS alert in quiche's CryptoError range: 0x100 + alert. */
const BAD_CERTIFICATE = 0x100 + 42;
const CERTIFICATE_EXPIRED = 0x100 + 45;
const UNKNOWN_CA = 0x100 + 48;

/** The certificates to trust: PEM text of the `--ca` option, or node's bundled roots. */
export function trustAnchors(ca: string | Buffer | undefined): X509Certificate[] {
  if (ca !== undefined) return splitPem(ca.toString()).map((pem) => new X509Certificate(pem));
  // Parsed once: node bundles about 140 roots, too many to parse again on every dial.
  bundledRoots ??= rootCertificates.map((pem) => new X509Certificate(pem));
  return bundledRoots;
}

let bundledRoots: X509Certificate[] | undefined;

function splitPem(text: string): string[] {
  return text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}

/**
 * The verify callback for a dial to `serverName`: returns undefined when the chain (DER, leaf
 * first) is good, else the TLS alert that ends the handshake.
 */
export function certificateVerifier(serverName: string, anchors: X509Certificate[]) {
  return async (chainDer: Uint8Array[]): Promise<number | undefined> => {
    if (chainDer.length === 0) return BAD_CERTIFICATE;
    let chain: X509Certificate[];
    try {
      chain = chainDer.map((der) => new X509Certificate(Buffer.from(der)));
    } catch {
      return BAD_CERTIFICATE;
    }
    const now = Date.now();
    for (const certificate of chain) {
      if (Date.parse(certificate.validFrom) > now || Date.parse(certificate.validTo) < now) {
        return CERTIFICATE_EXPIRED;
      }
    }
    const leaf = chain[0] as X509Certificate;
    const nameMatches =
      isIP(serverName) === 0
        ? leaf.checkHost(serverName) !== undefined
        : leaf.checkIP(serverName) !== undefined;
    if (!nameMatches) return BAD_CERTIFICATE;
    return chainsToAnchor(chain, anchors) ? undefined : UNKNOWN_CA;
  };
}

/** True when each certificate is issued by the next and the last by (or is) a trust anchor. */
function chainsToAnchor(chain: X509Certificate[], anchors: X509Certificate[]): boolean {
  for (let i = 0; i < chain.length; i++) {
    const certificate = chain[i] as X509Certificate;
    const anchor = anchors.find(
      (candidate) =>
        candidate.raw.equals(certificate.raw) ||
        (certificate.checkIssued(candidate) && certificate.verify(candidate.publicKey)),
    );
    if (anchor !== undefined) return true;
    const issuer = chain[i + 1];
    if (issuer === undefined) return false;
    if (!certificate.checkIssued(issuer) || !certificate.verify(issuer.publicKey)) return false;
  }
  return false;
}
