import type { Db } from '../../db/pool.js';

/**
 * The sealed signing secrets of webhook endpoints, as stored: what `npm run secrets -- rotate` and the
 * boot step re-encrypt (src/secretRotation/rotateSecrets.ts). A store of its own so that src/secrets can reach
 * it without importing the events module, which imports the keyring.
 */
export type EndpointSecretColumn = 'secret' | 'previous_secret';

/** Associated data binds a sealed secret to its row and column (a copied ciphertext does not open). */
export const endpointSecretAad = (column: EndpointSecretColumn, endpointId: number) => `webhook_endpoints.${column}:${endpointId}`;

export interface SealedEndpointSecrets {
  id: number;
  secret: string;
  previous_secret: string | null;
}

export async function sealedEndpointSecrets(db: Db): Promise<SealedEndpointSecrets[]> {
  const { rows } = await db.query<SealedEndpointSecrets>(`SELECT id::int, secret, previous_secret FROM webhook_endpoints ORDER BY id`);
  return rows;
}

/**
 * Writes re-sealed secrets, only if the row still holds what was read (a rotation by a person meanwhile
 * wins; the next run picks it up). Returns whether the row was written.
 */
export async function resealEndpointSecretRow(db: Db, was: SealedEndpointSecrets, next: { secret: string; previous_secret: string | null }): Promise<boolean> {
  const result = await db.query(
    `UPDATE webhook_endpoints SET secret = $2, previous_secret = $3
      WHERE id = $1 AND secret = $4 AND previous_secret IS NOT DISTINCT FROM $5`,
    [was.id, next.secret, next.previous_secret, was.secret, was.previous_secret],
  );
  return (result.rowCount ?? 0) > 0;
}
