// Edits of existing files at a named place (an "anchor"). An anchor that is not found
// exactly once is an error naming the file and the anchor: a silent `String.replace`
// that matches nothing would leave a module generated but not wired (not imported by
// ApiModule, its migration never run), and the failure would surface far from its cause.

export class AnchorMissingError extends Error {
  constructor(file, anchor, detail) {
    super(
      `${file}: anchor not found (${anchor})${detail ? `: ${detail}` : ''}. ` +
        'The file changed shape: update the edit in tools/generate-module/wiring.mjs to match it.',
    );
    this.name = 'AnchorMissingError';
  }
}

/**
 * Inserts `text` before or after the one match of `pattern` in `source`.
 * `anchor` describes the place in words, for the error.
 */
export function insertAt(source, { file, anchor, pattern, text, where = 'after' }) {
  const flags = pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`;
  const matches = [...source.matchAll(new RegExp(pattern.source, flags))];
  if (matches.length !== 1) {
    throw new AnchorMissingError(file, anchor, matches.length > 1 ? `${matches.length} places match` : undefined);
  }
  const [match] = matches;
  const at = where === 'before' ? match.index : match.index + match[0].length;
  return source.slice(0, at) + text + source.slice(at);
}

/** Parses a JSON file's text, naming the file when it is not JSON. */
export function parseJson(source, file) {
  try {
    return JSON.parse(source);
  } catch (error) {
    throw new AnchorMissingError(file, 'a JSON document', error.message);
  }
}

/** The object at `keys` inside `json` (e.g. compilerOptions.paths), or an error naming it. */
export function objectAt(json, keys, file) {
  let node = json;
  for (const key of keys) {
    node = node?.[key];
  }
  if (!node || typeof node !== 'object' || Array.isArray(node)) {
    throw new AnchorMissingError(file, `the object at "${keys.join('.')}"`);
  }
  return node;
}
