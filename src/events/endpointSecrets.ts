import type { Keyring } from '../secrets/keyring.js';
import { endpointSecretAad as aad, type EndpointSecretColumn } from './store/endpointSecretRows.js';
import type { EndpointRow } from './store.js';

export const sealEndpointSecret = (ring: Keyring, column: EndpointSecretColumn, endpointId: number, plain: string): string =>
  ring.encrypt(plain, aad(column, endpointId));

/** The secrets that sign a delivery now: the current one, and the previous one while its overlap lasts. */
export function signingSecrets(ring: Keyring, endpoint: EndpointRow, now: Date): string[] {
  const secrets = [ring.decrypt(endpoint.secret, aad('secret', endpoint.id))];
  if (endpoint.previous_secret && endpoint.previous_secret_until && endpoint.previous_secret_until > now)
    secrets.push(ring.decrypt(endpoint.previous_secret, aad('previous_secret', endpoint.id)));
  return secrets;
}

/** A rotation keeps the old secret under its own column's associated data. */
export const resealAsPrevious = (ring: Keyring, endpoint: EndpointRow): string =>
  ring.encrypt(ring.decrypt(endpoint.secret, aad('secret', endpoint.id)), aad('previous_secret', endpoint.id));
