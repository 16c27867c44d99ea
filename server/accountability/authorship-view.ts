import type { DB } from "../../db/connection";
import { listOrganisationIdNames, listUserNames } from "../../db/queries/accounts";
import { authoredUpdatesOf } from "../../db/queries/documents";
import { clientAuthors, paragraphAuthorship } from "../documents/authorship";
import { readContent, UNREADABLE_NOTICE } from "../documents/lexical-content";
import type { SyncServer } from "../sync";

export interface AuthorView {
  /** null: server-made initial content (imported from the source documents). */
  userName: string | null;
  organisationName: string | null;
  characters: number;
}

export interface ParagraphView {
  text: string;
  authors: AuthorView[];
  /** The document cannot be read: `text` is the notice saying so. */
  unreadable?: true;
}

/** "Who wrote this" for each document: paragraphs with the people and organisations in them. */
export async function documentsAuthorship(
  db: DB,
  sync: Pick<SyncServer, "readDocument">,
  documentIds: readonly string[],
): Promise<Map<string, ParagraphView[]>> {
  const result = new Map<string, ParagraphView[]>();
  if (documentIds.length === 0) return result;
  const [rows, users, organisations] = await Promise.all([
    authoredUpdatesOf(db, documentIds),
    listUserNames(db),
    listOrganisationIdNames(db),
  ]);
  const userName = new Map(users.map((u) => [u.id, u.name]));
  const orgName = new Map(organisations.map((o) => [o.id, o.name]));
  const byDoc = new Map<string, typeof rows>();
  for (const r of rows) {
    const list = byDoc.get(r.document_id);
    if (list) list.push(r);
    else byDoc.set(r.document_id, [r]);
  }
  for (const id of documentIds) {
    const authors = clientAuthors(byDoc.get(id) ?? []);
    const paragraphs = await sync.readDocument(id, (doc) => {
      const content = readContent(doc);
      return content.readable ? paragraphAuthorship(doc, authors, content.paragraphs) : null;
    });
    if (paragraphs === null) {
      result.set(id, [{ text: UNREADABLE_NOTICE, authors: [], unreadable: true }]);
      continue;
    }
    result.set(
      id,
      paragraphs.map((p) => ({
        text: p.text,
        authors: p.authors.map((a) => ({
          userName: a.userId === null ? null : (userName.get(a.userId) ?? "A former member"),
          organisationName: a.organisationId === null ? null : (orgName.get(a.organisationId) ?? a.organisationId),
          characters: a.characters,
        })),
      })),
    );
  }
  return result;
}
