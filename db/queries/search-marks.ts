/**
 * The characters search results wrap around a matched word (snippet and title), for the page to
 * turn into <mark>. A module of its own, importing nothing: the search page's component uses
 * these, and importing them from search.ts put the whole data layer (Kysely, pg) in the browser.
 */
export const MARK_START = "\u0001";
export const MARK_END = "\u0002";
