/**
 * The one form of an email the service compares: for storing (the unique index), looking up at sign-in and
 * counting failed sign-ins per account. Two spellings of one address must meet here, or each gets its own
 * five guesses and its own lookup (issue 23: `İ` lower-cased by JavaScript is `i̇`, by PostgreSQL `i`).
 * NFKC folds compatibility forms (fullwidth `ｋ`, ligatures); lower, upper, then lower case is a case fold without a
 * table (ß → ss, ς → σ, ſ → s; it also takes ı to i, which only merges spellings, never splits one); NFKC
 * again recomposes what the case mapping decomposed. Done in JavaScript only: PostgreSQL never folds.
 */
export function emailKey(email: string): string {
  return email.trim().normalize('NFKC').toLowerCase().toUpperCase().toLowerCase().normalize('NFKC');
}
