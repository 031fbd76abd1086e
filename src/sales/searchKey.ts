/**
 * A name as support types it: lower case, without accents ("Hélène Côté" → "helene cote"), so that a
 * French console user typing without accents finds the name. Stored beside the name when it is recorded
 * and applied to the query the same way: one function on both sides, no PostgreSQL extension needed.
 */
export function searchKey(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').replace(/œ/gi, 'oe').replace(/æ/gi, 'ae').replace(/ß/g, 'ss').toLowerCase().replace(/\s+/g, ' ').trim();
}
