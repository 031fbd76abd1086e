import { describe, expect, it } from 'vitest';
import { parseSignatureHeader, safeEqual, verifyXSignature, type SignatureVariant } from '../../../src/lightspeed/x/verify.js';
import { formBody, sign } from '../../helpers/webhook.js';

const secret = 'client-secret';
const body = formBody({ id: 'sale-1', version: 3 }, { environment: 'prod' });
const payload = new URLSearchParams(body).get('payload');

describe('X-Series webhook signature', () => {
  it.each<SignatureVariant>(['body-hex', 'body-base64', 'payload-hex', 'payload-base64'])('accepts %s and says so', (variant) => {
    expect(verifyXSignature({ secret, header: sign(secret, body, variant), rawBody: Buffer.from(body), payload })).toBe(variant);
  });

  it('rejects a one-byte change of the body', () => {
    const header = sign(secret, body, 'body-hex');
    const tampered = Buffer.from(body);
    tampered.writeUInt8(tampered.readUInt8(tampered.length - 3) ^ 1, tampered.length - 3);
    expect(() => verifyXSignature({ secret, header, rawBody: tampered, payload: new URLSearchParams(tampered.toString()).get('payload') })).toThrow(
      'signature does not match',
    );
  });

  it('rejects a wrong secret, a missing header, and a short signature without throwing on length', () => {
    expect(() => verifyXSignature({ secret: 'other', header: sign(secret, body), rawBody: Buffer.from(body), payload })).toThrow('does not match');
    expect(() => verifyXSignature({ secret, header: undefined, rawBody: Buffer.from(body), payload })).toThrow('missing X-Signature');
    expect(() => verifyXSignature({ secret, header: 'signature=abc,algorithm=HMAC-SHA256', rawBody: Buffer.from(body), payload })).toThrow('does not match');
    expect(safeEqual('abc', 'abcd')).toBe(false);
  });

  it('parses the header and refuses other algorithms', () => {
    expect(parseSignatureHeader('signature=AbC=,algorithm=HMAC-SHA256')).toBe('AbC=');
    expect(() => parseSignatureHeader('signature=abc,algorithm=HMAC-MD5')).toThrow('unsupported algorithm');
    expect(() => parseSignatureHeader('algorithm=HMAC-SHA256')).toThrow('no signature');
  });
});
