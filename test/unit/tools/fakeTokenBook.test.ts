import { describe, expect, it } from 'vitest';
import { TokenBook } from '../../../tools/fake-lightspeed/tokens.js';

// The drills reconnect a store only when the fake can tell that the service lost a refresh's answer;
// a wrong answer here would hide a service that flags stores over a passing failure.
describe('the fake Lightspeed token book', () => {
  it('rotates a refresh token once, as Lightspeed does', () => {
    const book = new TokenBook(90, true);
    const first = book.issue('shop');
    expect(book.rotate(first.refreshToken, 'shop')).not.toBeNull();
    expect(book.rotate(first.refreshToken, 'shop')).toBeNull();
  });

  it('says an answer was lost only while the rotated token was never presented', () => {
    const book = new TokenBook(90, true);
    const first = book.issue('shop');
    expect(book.lostAnswer(first.refreshToken)).toBe(false); // never used: a client holding it is fine
    const second = book.rotate(first.refreshToken, 'shop')!;
    expect(book.lostAnswer(first.refreshToken)).toBe(true); // spent, and its successor never seen
    expect(book.lostAnswer(second.refreshToken)).toBe(false); // the client holding the new one is fine
    book.rotate(second.refreshToken, 'shop');
    expect(book.lostAnswer(first.refreshToken)).toBe(false); // the successor was presented: a race, not a lost answer
  });
});
