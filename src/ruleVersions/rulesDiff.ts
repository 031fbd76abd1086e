import type { RulesChange } from '../contract/rules.js';

/** One changed leaf between two rules documents, by its dotted path ("earn.stepAmount"). */
export type { RulesChange };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What changed from `before` to `after`; arrays compare whole (a list of ids reads best as before/after). */
export function rulesDiff(before: unknown, after: unknown, path = ''): RulesChange[] {
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => rulesDiff(before[k], after[k], path ? `${path}.${k}` : k));
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [{ path, before: before ?? null, after: after ?? null }];
}
