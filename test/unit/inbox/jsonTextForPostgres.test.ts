import { describe, expect, it } from 'vitest';
import { jsonForPostgres, jsonTextForPostgres } from '../../../src/inbox/repo.js';

describe('jsonTextForPostgres (the webhook payload stored as received)', () => {
  it.each([
    ['no escape at all', '{"a":"plain"}', '{"a":"plain"}'],
    ['a surrogate pair, lower and upper case, stays', '{"a":"\\ud83d\\ude00 \\uD83D\\uDE00"}', '{"a":"\\ud83d\\ude00 \\uD83D\\uDE00"}'],
    ['NUL', '{"a":"x\\u0000y"}', '{"a":"x\\ufffdy"}'],
    ['a lone high surrogate, also before a non-surrogate escape', '{"a":"\\ud800 \\ud800\\u0041"}', '{"a":"\\ufffd \\ufffd\\u0041"}'],
    ['a lone low surrogate, also after a high one that is not adjacent', '{"a":"\\udc00 \\ud83d \\ude00"}', '{"a":"\\ufffd \\ufffd \\ufffd"}'],
    ['two highs then a low: the first is lone, the second pairs', '{"a":"\\ud83d\\ud83d\\ude00"}', '{"a":"\\ufffd\\ud83d\\ude00"}'],
    ['an escaped backslash before u0000 is text', '{"a":"\\\\u0000 \\\\\\u0000"}', '{"a":"\\\\u0000 \\\\\\ufffd"}'],
    ['other escapes stay', '{"a":"\\"\\/\\n\\u00e9"}', '{"a":"\\"\\/\\n\\u00e9"}'],
  ])('%s', (_name, input, output) => {
    expect(jsonTextForPostgres(input)).toBe(output);
    expect(JSON.parse(jsonTextForPostgres(input))).toBeDefined();
  });

  it('gives the document jsonForPostgres gives for the parsed value', () => {
    for (const text of ['{"a":"x\\u0000y\\ud800"}', '{"a":["\\udc00",{"b":"\\ud83d\\ude00"}]}']) {
      expect(JSON.parse(jsonTextForPostgres(text))).toEqual(JSON.parse(jsonForPostgres(JSON.parse(text))));
    }
  });
});
