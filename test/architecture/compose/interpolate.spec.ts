import { interpolate, interpolateDocument, InterpolationError } from './interpolate';

describe('compose interpolation (the rules of the Compose specification)', () => {
  const env = { SET: 'value', EMPTY: '' };

  it.each([
    ['${SET}', 'value'],
    ['$SET/x', 'value/x'],
    ['${UNSET}', ''],
    ['${UNSET:-fallback}', 'fallback'],
    ['${EMPTY:-fallback}', 'fallback'],
    ['${EMPTY-fallback}', ''],
    ['${UNSET-fallback}', 'fallback'],
    ['${SET:-fallback}', 'value'],
    ['${SET:+alt}', 'alt'],
    ['${EMPTY:+alt}', ''],
    ['${EMPTY+alt}', 'alt'],
    ['${UNSET:-${SET}-x}', 'value-x'],
    ['${SET:?needed}', 'value'],
    ['${EMPTY?needed}', ''],
    ['pid=$$!; kill $$pid', 'pid=$!; kill $pid'],
    ['no variables', 'no variables'],
  ])('%s resolves to %j', (text, expected) => {
    expect(interpolate(text, env)).toBe(expected);
  });

  it.each([
    ['${UNSET:?set UNSET to something}', 'required variable UNSET is missing a value: set UNSET to something'],
    ['${EMPTY:?must not be empty}', 'required variable EMPTY is missing a value: must not be empty'],
    ['${UNSET?needed}', 'required variable UNSET is missing a value: needed'],
  ])('%s fails with its message', (text, message) => {
    expect(() => interpolate(text, env)).toThrow(new InterpolationError(message));
  });

  it.each(['${SET', '${}', '${SET!x}', '${1X}'])('%s is an invalid format', (text) => {
    expect(() => interpolate(text, env)).toThrow(InterpolationError);
  });

  it('interpolates values at any depth, never keys, and keeps non-strings', () => {
    const document = { '${SET}': { list: ['${SET}', 3, null, true] } };
    expect(interpolateDocument(document, env)).toEqual({ '${SET}': { list: ['value', 3, null, true] } });
  });
});
