/**
 * The deepest nesting of a JSON text, scanned without parsing. PostgreSQL's jsonb refuses very deep
 * documents, and no sale is deeper than a handful of levels, so deep ones are rejected up front.
 */
export function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i += 1;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91 /* { [ */) max = Math.max(max, ++depth);
    else if (c === 125 || c === 93 /* } ] */) depth -= 1;
  }
  return max;
}

export const MAX_PAYLOAD_DEPTH = 32;
