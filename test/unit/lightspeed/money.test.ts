import { describe, expect, it } from 'vitest';
import { toMinor } from '../../../src/lightspeed/money.js';

describe('toMinor', () => {
  it.each([
    ['234.69565', 23470],
    ['49.40000', 4940],
    ['-12.00000', -1200],
    ['317.1', 31710],
    ['0', 0],
    ['-0.004', 0],
    ['0.005', 1],
    ['-2.5', -250],
    [56.81, 5681],
    [-13.8, -1380],
    [0.1 + 0.2, 30],
    ['.5', 50],
    ['1234567.89', 123456789],
  ] as const)('%s → %i minor units', (input, expected) => {
    expect(toMinor(input)).toBe(expected);
  });
});
