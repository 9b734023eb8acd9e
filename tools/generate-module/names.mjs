// The forms of a module's name that the templates need, from the plural kebab-case
// resource name given on the command line (`gadgets`, `gift-cards`, `categories`).

const KEBAB = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

/** Libs (or route segments) a generated module must not take. */
const RESERVED = ['platform', 'jobs', 'auth', 'health', 'metrics', 'docs'];

/** Why `raw` cannot name a module, or null when it can. */
export function nameProblem(raw) {
  if (!raw || !KEBAB.test(raw)) {
    return 'give the plural resource name in kebab-case, e.g. `npm run generate:module -- gift-cards`';
  }
  if (!raw.endsWith('s')) {
    return `"${raw}" should be plural (the route is /v1/${raw}s?): e.g. gadgets, gift-cards, categories`;
  }
  if (RESERVED.includes(raw)) {
    return `"${raw}" is reserved`;
  }
  return null;
}

const pascal = (kebab) =>
  kebab
    .split('-')
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join('');
const camel = (kebab) => pascal(kebab)[0].toLowerCase() + pascal(kebab).slice(1);

function singularOf(plural) {
  if (plural.endsWith('ies')) {
    return `${plural.slice(0, -3)}y`;
  }
  if (plural.endsWith('ses')) {
    return plural.slice(0, -2);
  }
  return plural.slice(0, -1);
}

/**
 * kebab (plural: the lib, route and tag), singularKebab (file names of one thing),
 * Plural/Singular (classes), camel/camelSingular (fields), table, CODE (error codes),
 * words/singularWords (prose), event (the outbox event type).
 */
export function namesOf(raw) {
  const singularKebab = singularOf(raw);
  return {
    kebab: raw,
    singularKebab,
    Plural: pascal(raw),
    Singular: pascal(singularKebab),
    camel: camel(raw),
    camelSingular: camel(singularKebab),
    table: raw.replace(/-/g, '_'),
    CODE: singularKebab.replace(/-/g, '_').toUpperCase(),
    words: raw.replace(/-/g, ' '),
    singularWords: singularKebab.replace(/-/g, ' '),
    event: `${singularKebab}.changed`,
  };
}
