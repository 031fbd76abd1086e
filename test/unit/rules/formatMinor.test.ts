import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatMinor } from '../../../src/rules/formatMinor.js';

describe('formatMinor', () => {
  it.each([
    [0, '0.00'],
    [5, '0.05'],
    [100, '1.00'],
    [5499, '54.99'],
    [-1905, '-19.05'],
    [-5, '-0.05'],
    [123456789012, '1234567890.12'],
  ])('%i → %s', (minor, text) => {
    expect(formatMinor(minor)).toBe(text);
  });

  it('reads back as the same integer for any amount', () => {
    fc.assert(fc.property(fc.integer({ min: -1e12, max: 1e12 }), (minor) => Math.round(Number(formatMinor(minor)) * 100) === minor));
  });
});
