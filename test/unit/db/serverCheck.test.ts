import { describe, expect, it } from 'vitest';
import { serverSettingWarnings } from '../../../src/db/serverCheck.js';

describe('the PostgreSQL settings checked at start', () => {
  it('warns when autovacuum is off, naming the setting', () => {
    expect(serverSettingWarnings({ autovacuum: 'off' })).toEqual([expect.stringContaining('autovacuum = on')]);
  });
  it('says nothing when it is on', () => {
    expect(serverSettingWarnings({ autovacuum: 'on' })).toEqual([]);
  });
});
