/**
 * What a domain rule or a store refuses, by meaning and with a stable code, without knowing HTTP: the
 * edge (src/http/app.ts) maps each kind to a status in one table. Domain code throws these, never AppError.
 */
/** `forbidden`: the one asking may not do this (known to be them); `upstream`: a service we depend on refused or is away. */
export type DomainErrorKind = 'invalid' | 'not_found' | 'conflict' | 'unprocessable' | 'forbidden' | 'upstream';

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** A record that does not exist, or that the one asking may not see (the answer is the same). */
export const missing = (what: string) => new DomainError('not_found', 'NOT_FOUND', `${what} not found`);

/** An input a rule cannot use at all (a request parser would have refused it, had it known the rule). */
export const invalid = (message: string, details?: unknown) => new DomainError('invalid', 'INVALID_REQUEST', message, details);
