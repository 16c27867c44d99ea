/**
 * Stored state to Y.Doc, written once: the newest snapshot and the updates after it, applied in
 * one Yjs transaction. Used by the sync server's rooms and reads, versions and backups. Yjs-level
 * only: whether the editor can read the result is lexical-content.ts's `readContent`.
 */
import * as Y from "yjs";
import type { StoredDocumentState } from "../../db/queries/documents";

// A document read on the server and dropped again needs no unique guid (it is never a subdocument
// and never sent); the default draws a random UUID, which at 2,000 actions was a tenth of a plan
// page's render.
const TRANSIENT_GUID = "server-read";

export function applyStoredState(doc: Y.Doc, stored: StoredDocumentState): void {
  Y.transact(doc, () => {
    if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot.state);
    for (const row of stored.updates) Y.applyUpdate(doc, row.update);
  });
}

/** A fresh Y.Doc holding the stored state; the caller destroys it. */
export function docFromStored(stored: StoredDocumentState): Y.Doc {
  const doc = new Y.Doc({ guid: TRANSIENT_GUID });
  try {
    applyStoredState(doc, stored);
    return doc;
  } catch (error) {
    doc.destroy();
    throw error;
  }
}

/** A fresh Y.Doc from one encoded state (a version's copy of a document). */
export function docFromState(state: Uint8Array): Y.Doc {
  return docFromStored({ snapshot: { state, lastUpdateId: 0 }, updates: [] });
}

/** Runs `read` on the stored state, destroying the doc afterwards. */
export function withStoredDoc<T>(stored: StoredDocumentState, read: (doc: Y.Doc) => T): T {
  const doc = docFromStored(stored);
  try {
    return read(doc);
  } finally {
    doc.destroy();
  }
}
