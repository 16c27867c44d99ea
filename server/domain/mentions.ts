/**
 * `@` + an organisation's name (or short name) in a comment mentions that organisation. Pure: the
 * caller passes the organisations; the server decides, never the client.
 *
 * An `@` counts only at the start of the text or after a space or opening bracket/quote, so e-mail
 * addresses and "@ 3pm" are not mentions. The longest matching name wins ("Bury Council" over
 * "Bury"), case-insensitively, and must end at a word boundary.
 */
export interface MentionableOrganisation {
  id: string;
  name: string;
  short_name: string;
}

export interface ParsedMentions {
  organisationIds: string[];
  /** What followed each `@` that matched no organisation, as written (first words only). */
  unknown: string[];
}

const MENTION_START = /(^|[\s([{"'“‘])@(?=\S)/gu;
const WORD_CHAR = /[\p{L}\p{N}]/u;

export function parseMentions(body: string, organisations: readonly MentionableOrganisation[]): ParsedMentions {
  const names = organisations
    .flatMap((o) => [
      { id: o.id, name: o.name },
      { id: o.id, name: o.short_name },
    ])
    .filter((n) => n.name.trim().length > 0)
    .sort((a, b) => b.name.length - a.name.length);
  const ids = new Set<string>();
  const unknown: string[] = [];
  for (const match of body.matchAll(MENTION_START)) {
    const at = (match.index ?? 0) + match[1].length + 1;
    const rest = body.slice(at);
    const lower = rest.toLocaleLowerCase("en-GB");
    const found = names.find(
      (n) => lower.startsWith(n.name.toLocaleLowerCase("en-GB")) && !WORD_CHAR.test(rest.charAt(n.name.length)),
    );
    if (found) {
      ids.add(found.id);
    } else {
      // The intended name is unknown: show the first word and any capitalised words after it.
      const written = /^[^\s,.;:!?)\]}]+(?:[ ][\p{Lu}][^\s,.;:!?)\]}]*)*/u.exec(rest)?.[0] ?? rest.slice(0, 30);
      unknown.push(written);
    }
  }
  return { organisationIds: [...ids], unknown };
}
