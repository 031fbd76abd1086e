import { createHmac, createSecretKey, randomBytes, type KeyObject } from 'node:crypto';

/** Standard Webhooks symmetric secret: `whsec_` + base64 of 32 random bytes (the spec asks 24 to 64). */
export function newSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/**
 * The HMAC keys of secrets, decoded once: a sender signs a round of up to 500 deliveries with the same
 * keys, so the base64 decoding (and the key copy into OpenSSL) is done per round, not per event.
 */
export function signingKeys(secrets: string[]): KeyObject[] {
  return secrets.map((secret) => createSecretKey(Buffer.from(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret, 'base64')));
}

/**
 * The `webhook-signature` header: `v1,<base64 HMAC-SHA256 of "id.timestamp.body">` per key, space
 * separated (during a rotation's overlap both the new and the previous secret sign).
 */
export function signWithKeys(keys: KeyObject[], id: string, timestamp: number, body: string): string {
  const signed = `${id}.${timestamp}.${body}`;
  let header = '';
  for (const key of keys) header += `${header ? ' ' : ''}v1,${createHmac('sha256', key).update(signed).digest('base64')}`;
  return header;
}

/** The same header from the secrets themselves (one-off signing, tests). */
export function signatureHeader(secrets: string[], id: string, timestamp: number, body: string): string {
  return signWithKeys(signingKeys(secrets), id, timestamp, body);
}
