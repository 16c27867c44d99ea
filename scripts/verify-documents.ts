// The check every backup passes before it counts as one, on either database: every Yjs document
// is loaded the way the server loads it (newest snapshot, then the updates after it) and read by
// the editor's headless reader. A document that does not load fails the backup; one that loads but
// that the editor cannot read is reported, since the backup copies it faithfully (restoring a
// version repairs it) and refusing the backup would protect nothing.
import type { DB } from "../db/connection";
import { listDocumentsAfter, loadStoredDocument } from "../db/queries/documents";
import { readContent } from "../server/documents/lexical-content";
import { withStoredDoc } from "../server/documents/stored-state";

export interface DocumentsVerified {
  documents: number;
  /** Updates stored after their document's newest snapshot, all applied. */
  updates: number;
  /** Documents that load but that the editor cannot read. */
  unreadable: string[];
}

const PAGE = 500;

export async function verifyDocuments(db: DB): Promise<DocumentsVerified> {
  let documents = 0;
  let updates = 0;
  const unreadable: string[] = [];
  for (let after = ""; ; ) {
    const page = await listDocumentsAfter(db, after, PAGE);
    for (const { id } of page) {
      const stored = await loadStoredDocument(db, id);
      updates += stored.updates.length;
      let readable: boolean;
      try {
        readable = withStoredDoc(stored, (doc) => readContent(doc).readable);
      } catch (error) {
        throw new Error(`document ${id} does not load: ${error instanceof Error ? error.message : String(error)}`);
      }
      if (!readable) unreadable.push(id);
      documents++;
    }
    if (page.length < PAGE) break;
    after = page[page.length - 1]!.id;
  }
  return { documents, updates, unreadable };
}
