import { jsonNestingExceeds, MAX_JSON_DEPTH } from './json-body-parser';

const bytes = (text: string) => Buffer.from(text, 'utf8');
const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

describe('jsonNestingExceeds', () => {
  it('counts levels of objects and arrays', () => {
    expect(jsonNestingExceeds(bytes('{}'), 1)).toBe(false);
    expect(jsonNestingExceeds(bytes('{"a":[]}'), 1)).toBe(true);
    expect(jsonNestingExceeds(bytes('{"a":[]}'), 2)).toBe(false);
    expect(jsonNestingExceeds(bytes('[[],[],{"a":{}}]'), 3)).toBe(false);
    expect(jsonNestingExceeds(bytes('[[],[],{"a":{}}]'), 2)).toBe(true);
    expect(jsonNestingExceeds(bytes(nested(MAX_JSON_DEPTH)), MAX_JSON_DEPTH)).toBe(false);
    expect(jsonNestingExceeds(bytes(nested(MAX_JSON_DEPTH + 1)), MAX_JSON_DEPTH)).toBe(true);
    expect(jsonNestingExceeds(bytes(nested(1_000_000)), MAX_JSON_DEPTH)).toBe(true);
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    expect(jsonNestingExceeds(bytes(JSON.stringify({ a: '[[[[{{{{', b: '\\"[[[[', c: '"{{{{' })), 1)).toBe(false);
    expect(jsonNestingExceeds(bytes(JSON.stringify(['\\', [['x']]])), 2)).toBe(true);
    expect(jsonNestingExceeds(bytes(JSON.stringify({ 'é[😀': ['ü{'] })), 2)).toBe(false);
  });
});
