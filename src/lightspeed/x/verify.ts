import { createHmac, timingSafeEqual } from 'node:crypto';

export type SignatureVariant = 'body-hex' | 'body-base64' | 'payload-hex' | 'payload-base64';

export class SignatureError extends Error {
  override name = 'SignatureError';
}

/** `signature=<value>,algorithm=HMAC-SHA256` → the value, or an error naming what is wrong. */
export function parseSignatureHeader(header: string | undefined): string {
  if (!header) throw new SignatureError('missing X-Signature header');
  const parts = Object.fromEntries(
    header.split(',').map((part) => {
      const at = part.indexOf('=');
      return at < 0 ? [part.trim().toLowerCase(), ''] : [part.slice(0, at).trim().toLowerCase(), part.slice(at + 1).trim()];
    }),
  );
  if (parts.algorithm && parts.algorithm.toUpperCase() !== 'HMAC-SHA256') throw new SignatureError(`unsupported algorithm ${parts.algorithm}`);
  if (!parts.signature) throw new SignatureError('X-Signature has no signature= part');
  return parts.signature;
}

/** Constant-time string comparison that answers false (no exception) on a length mismatch. */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  if (x.length !== y.length) {
    timingSafeEqual(x, x);
    return false;
  }
  return timingSafeEqual(x, y);
}

/**
 * Lightspeed's docs leave open whether the raw form body or the decoded `payload` is signed, and in
 * which encoding; we accept the four readings and report which one matched. The body's HMAC first, each
 * encoding compared in constant time; the payload's is computed only when the body's did not match (a
 * second HMAC of every delivery was a share of the webhook's CPU, issue 29). Skipping it tells a sender
 * nothing the answer does not: it happens only for a signature that matched in full.
 */
export function verifyXSignature(input: { secret: string; header: string | undefined; rawBody: Buffer; payload: string | null }): SignatureVariant {
  const given = parseSignatureHeader(input.header);
  // Hex may arrive in either case.
  const lowered = given.toLowerCase();
  const reading = (source: 'body' | 'payload', digest: Buffer): SignatureVariant | null => {
    const hex = safeEqual(lowered, digest.toString('hex'));
    const base64 = safeEqual(given, digest.toString('base64'));
    return hex ? `${source}-hex` : base64 ? `${source}-base64` : null;
  };
  const matched =
    reading('body', createHmac('sha256', input.secret).update(input.rawBody).digest()) ??
    (input.payload !== null ? reading('payload', createHmac('sha256', input.secret).update(input.payload).digest()) : null);
  if (matched === null) throw new SignatureError('signature does not match');
  return matched;
}
