import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { en } from '../../../console/src/i18n/en.js';
import { fr } from '../../../console/src/i18n/fr.js';
import { checklistIds } from '../../../src/sales/checklist.js';
import { reasonCodes } from '../../../src/rules/reasons.js';

/** Every key path of a catalogue, "a.b.c". */
const keys = (o: object, prefix = ''): string[] =>
  Object.entries(o).flatMap(([k, v]) => (v && typeof v === 'object' ? keys(v as object, `${prefix}${k}.`) : [`${prefix}${k}`]));

describe('the console speaks French and English completely', () => {
  it('both catalogues have the same keys', () => {
    expect(keys(fr).sort()).toEqual(keys(en).sort());
  });

  it.each([
    ['en', en],
    ['fr', fr],
  ] as const)('every reason code has a message in %s', (_lang, catalogue) => {
    const missing = reasonCodes.filter((code) => !(catalogue.reasons as Record<string, string>)[code]);
    expect(missing).toEqual([]);
  });

  it.each([
    ['en', en],
    ['fr', fr],
  ] as const)('every checklist item has a title in %s', (_lang, catalogue) => {
    const missing = checklistIds.filter((id) => !(catalogue.checklist as Record<string, { title?: string }>)[id]?.title);
    expect(missing).toEqual([]);
  });

  it('says "respect Lightspeed\'s loyalty switch" where that option stopped a customer earning, and names it on the rules form', () => {
    expect(en.reasons.CUSTOMER_EXEMPT).toContain("respect Lightspeed's loyalty switch");
    expect(en.rules.respectLightspeedLoyalty).toContain("Respect Lightspeed's loyalty switch");
    expect(fr.reasons.CUSTOMER_EXEMPT).toContain('respectent l’interrupteur de fidélité de Lightspeed');
    expect(fr.rules.respectLightspeedLoyalty).toContain('Respecter l’interrupteur de fidélité de Lightspeed');
  });

  it('French typography on the Insights page: a narrow no-break space (U+202F) before ; : ? ! and inside « »', () => {
    const leaves = (o: object): string[] => Object.values(o).flatMap((v) => (v && typeof v === 'object' ? leaves(v as object) : [String(v)]));
    const strings = leaves(fr.insights);
    expect(strings.filter((s) => /[:;?!»]/.test(s)).length).toBeGreaterThan(5);
    expect(strings.filter((s) => /(?:[ \u00a0]|[^\s\u202f])[;?!»]|«(?!\u202f)|(?:[ \u00a0]|[^\s\u202f\d])[:](?!\/)/.test(s))).toEqual([]);
  });

  // The console shows a refusal by its code (the one error path): every code the server throws has a sentence.
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
  const thrown = new Set(
    files('src').flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/(?:AppError|DomainError)\(\s*(?:\d+|'[a-z_]+'),\s*'([A-Z_]+)'/g)].map((m) => m[1]!),
    ),
  );
  it.each([
    ['en', en],
    ['fr', fr],
  ] as const)('every error code the server throws has a message in %s', (_lang, catalogue) => {
    expect(thrown.size).toBeGreaterThan(30);
    expect([...thrown].filter((code) => !(catalogue.errors.code as Record<string, string>)[code])).toEqual([]);
  });

  // French typography: a narrow no-break space (U+202F) before ? ; : ! and inside « », never a plain space
  // (which lets the mark wrap alone onto the next line).
  it('French puts a narrow no-break space before ? ; : ! and inside « »', () => {
    const values = (o: object): Array<[string, string]> =>
      Object.entries(o).flatMap(([k, v]) =>
        v && typeof v === 'object' ? values(v as object).map(([p, t]) => [`${k}.${p}`, t] as [string, string]) : [[k, String(v)]],
      );
    // insights.* and events.* live in their own files until their pages' owners fold them into fr.ts.
    const mine = values(fr).filter(([key]) => !key.startsWith('insights.') && !key.startsWith('events.'));
    const wrong = mine.filter(
      ([, text]) => /\S[ \u00a0][?;:!»]|«[ \u00a0]/.test(text) || /[^\s\u202f/}][?;!»](?=\s|$)/.test(text.replace(/https?:\/\/\S+/g, '')),
    );
    expect(wrong).toEqual([]);
  });
});
