import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Merchant secrets at rest: AES-256-GCM (node:crypto) under a key named by an id, so keys can rotate.
 * Stored form: `enc:v1:<kid>:<base64url(iv ‖ tag ‖ ciphertext)>`. The associated data names the table,
 * column and row, so a ciphertext copied into another row or column does not decrypt.
 */
export const CIPHER_PREFIX = 'enc:v1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KID = /^[A-Za-z0-9_-]{1,32}$/;

/** Only outside production: lets `npm start` and the tests run without configuration (with a warning). */
export const DEVELOPMENT_KEYS = 'dev:' + Buffer.alloc(32, 'development-only-secrets-key!!!!').toString('base64');

export class SecretsKeyError extends Error {
  override name = 'SecretsKeyError';
}

export class Keyring {
  private constructor(
    readonly currentKid: string,
    private readonly keys: ReadonlyMap<string, Buffer>,
  ) {}

  /**
   * `kid:base64key[,kid:base64key...]`: the first key encrypts, every listed key decrypts. To rotate, put a
   * new key first, keep the old one after it, run `npm run secrets -- rotate`, then drop the old one.
   */
  static parse(spec: string): Keyring {
    const keys = new Map<string, Buffer>();
    let first: string | undefined;
    for (const part of spec
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)) {
      const colon = part.indexOf(':');
      const kid = colon > 0 ? part.slice(0, colon) : '';
      if (!KID.test(kid)) throw new SecretsKeyError('each key must be "kid:base64key" with a kid of letters, digits, _ or -');
      const key = Buffer.from(part.slice(colon + 1), 'base64');
      if (key.length !== 32) throw new SecretsKeyError(`key ${kid} must be 32 bytes in base64 (openssl rand -base64 32)`);
      if (keys.has(kid)) throw new SecretsKeyError(`key id ${kid} is listed twice`);
      keys.set(kid, key);
      first ??= kid;
    }
    if (!first) throw new SecretsKeyError('no key given');
    return new Keyring(first, keys);
  }

  encrypt(plain: string, aad: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.currentKid)!, iv);
    cipher.setAAD(Buffer.from(aad, 'utf8'));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `${CIPHER_PREFIX}${this.currentKid}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
  }

  /** A value without the prefix is a row written before encryption (the boot step encrypts those). */
  decrypt(stored: string, aad: string): string {
    if (!isEncrypted(stored)) return stored;
    const rest = stored.slice(CIPHER_PREFIX.length);
    const colon = rest.indexOf(':');
    const kid = rest.slice(0, colon);
    const key = this.keys.get(kid);
    if (!key) throw new SecretsKeyError(`a stored secret is encrypted under key ${kid}, which SECRETS_KEY does not list`);
    const raw = Buffer.from(rest.slice(colon + 1), 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretsKeyError(`a stored secret under key ${kid} does not authenticate (wrong key, or moved from another row)`);
    }
  }

  /** Whether a stored value must be re-written: clear, or under a key other than the current one. */
  isStale(stored: string): boolean {
    return !stored.startsWith(`${CIPHER_PREFIX}${this.currentKid}:`);
  }
}

export function isEncrypted(stored: string): boolean {
  return stored.startsWith(CIPHER_PREFIX);
}

/** URL tokens are compared by hash: a delivery's `?token=` is hashed and matched, never decrypted. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function tokenHashEqual(token: string, storedHash: string): boolean {
  const a = Buffer.from(tokenHash(token), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

let installed: Keyring | undefined;

/**
 * The process's keyring. Production refuses to start without SECRETS_KEY; elsewhere the development key is
 * used and `warn` is told once.
 */
export function installKeyring(settings: { NODE_ENV: string; SECRETS_KEY?: string | undefined }, warn?: (message: string) => void): Keyring {
  if (settings.SECRETS_KEY) {
    installed = Keyring.parse(settings.SECRETS_KEY);
  } else if (settings.NODE_ENV === 'production') {
    throw new SecretsKeyError(
      'SECRETS_KEY is required in production (merchant tokens and webhook secrets are encrypted with it); generate one with: echo "k1:$(openssl rand -base64 32)"',
    );
  } else {
    warn?.('SECRETS_KEY is not set: merchant secrets are encrypted with the development key (never use this in production)');
    installed = Keyring.parse(DEVELOPMENT_KEYS);
  }
  return installed;
}

export function keyring(): Keyring {
  installed ??= Keyring.parse(DEVELOPMENT_KEYS);
  return installed;
}
