/** "First Last" and the family name alone, when the payload names the person. */
export function personName(first: unknown, last: unknown): { name?: string; familyName?: string } {
  const f = typeof first === 'string' ? first.trim() : '';
  const l = typeof last === 'string' ? last.trim() : '';
  const name = [f, l].filter(Boolean).join(' ').slice(0, 200);
  return name ? { name, ...(l ? { familyName: l.slice(0, 200) } : {}) } : {};
}
