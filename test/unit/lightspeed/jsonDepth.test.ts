import { describe, expect, it } from 'vitest';
import { jsonDepth } from '../../../src/lightspeed/x/jsonDepth.js';

describe('jsonDepth', () => {
  it.each([
    ['1', 0],
    ['{"a":[1,{"b":2}]}', 3],
    ['{"a":"[[[[{{{{"}', 1],
    ['{"a":"\\"[[["}', 1],
    ['[[[[]]]]', 4],
  ])('%s is %i deep', (text, depth) => {
    expect(jsonDepth(text)).toBe(depth);
  });
});
