import { createHash, randomBytes } from 'node:crypto';

/** RFC 7636 §4.1: 32 random bytes as base64url give a 43-character verifier of unreserved characters. */
export const newCodeVerifier = (): string => randomBytes(32).toString('base64url');

/** RFC 7636 §4.2, method S256: BASE64URL(SHA256(ASCII(code_verifier))), without padding. */
export const codeChallengeS256 = (verifier: string): string => createHash('sha256').update(verifier, 'ascii').digest('base64url');

/** RFC 7636 §4.1: 43 to 128 characters of [A-Z a-z 0-9 - . _ ~]. */
export const isCodeVerifier = (value: string): boolean => /^[A-Za-z0-9\-._~]{43,128}$/.test(value);
