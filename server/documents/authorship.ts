/**
 * "Who wrote this": for each paragraph of a document, the people and organisations whose edits it
 * still contains. Every stored update (document_updates) carries the Yjs client ids of the content
 * it created and the user and organisation the server accepted it from; every character in the
 * Y.Doc remembers its client id. So: client id -> author from the log, then walk each top-level
 * block's live (not deleted) characters and count them per author.
 *
 * Server-made initial content is stored with user_id NULL: it reads as "imported".
 */
import * as Y from "yjs";
import { readParagraphs } from "./lexical-content";

export interface AuthorKey {
  userId: number | null;
  organisationId: string | null;
}

/** Client id -> the author of the first stored update that created content with it. */
export function clientAuthors(
  updates: readonly { update: Uint8Array; user_id: number | null; organisation_id: string | null }[],
): Map<number, AuthorKey> {
  const map = new Map<number, AuthorKey>();
  for (const row of updates) {
    let structs: { id: { client: number } }[];
    try {
      structs = Y.decodeUpdate(row.update).structs;
    } catch {
      continue;
    }
    for (const s of structs) {
      if (!map.has(s.id.client)) map.set(s.id.client, { userId: row.user_id, organisationId: row.organisation_id });
    }
  }
  return map;
}

/** Characters per Yjs client id in each top-level block, in document order. */
export function blockClientCounts(doc: Y.Doc): Map<number, number>[] {
  const root = doc.get("root", Y.XmlText) as Y.XmlText;
  const blocks: Map<number, number>[] = [];
  const count = (type: Y.AbstractType<unknown>, into: Map<number, number>) => {
    let item = type._start;
    while (item) {
      if (!item.deleted) {
        if (item.content instanceof Y.ContentString) {
          into.set(item.id.client, (into.get(item.id.client) ?? 0) + item.length);
        } else if (item.content instanceof Y.ContentType && !(item.content.type instanceof Y.Map)) {
          // Nested blocks (list items...) count towards their top-level block.
          count(item.content.type as Y.AbstractType<unknown>, into);
        }
      }
      item = item.right;
    }
  };
  let item = root._start;
  while (item) {
    if (!item.deleted && item.content instanceof Y.ContentType && !(item.content.type instanceof Y.Map)) {
      const counts = new Map<number, number>();
      counts.set(item.id.client, 0); // whoever created the block, even if it is empty
      count(item.content.type as Y.AbstractType<unknown>, counts);
      blocks.push(counts);
    }
    item = item.right;
  }
  return blocks;
}

export interface ParagraphAuthorship {
  text: string;
  /** Authors with the number of characters of theirs the paragraph still holds, most first. */
  authors: (AuthorKey & { characters: number })[];
}

/** `paragraphs`: the doc's text as readContent read it, when the caller already has it. */
export function paragraphAuthorship(doc: Y.Doc, authors: Map<number, AuthorKey>, paragraphs = readParagraphs(doc)): ParagraphAuthorship[] {
  const blocks = blockClientCounts(doc);
  return paragraphs.map((text, i) => {
    const byAuthor = new Map<string, AuthorKey & { characters: number }>();
    for (const [client, characters] of blocks[i] ?? new Map<number, number>()) {
      const who = authors.get(client) ?? { userId: null, organisationId: null };
      const key = `${who.userId ?? "imported"}|${who.organisationId ?? ""}`;
      const entry = byAuthor.get(key) ?? { ...who, characters: 0 };
      entry.characters += characters;
      byAuthor.set(key, entry);
    }
    const list = [...byAuthor.values()];
    // A block's creator with no characters left is only listed when nobody else wrote in it.
    const withText = list.filter((a) => a.characters > 0);
    return { text, authors: (withText.length ? withText : list).sort((a, b) => b.characters - a.characters) };
  });
}
