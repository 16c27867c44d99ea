import type { Kysely } from "kysely";
import { nowIso } from "../../db/connection";
import { insertDocumentIfNew, insertDocumentUpdate } from "../../db/queries/documents";
import type { Database, DocumentKind } from "../../db/schema";
import { initialContentUpdate, readContent } from "../documents/lexical-content";
import type { SyncServer } from "../sync";

/**
 * Documents get their first content on the server, as one stored update: clients never
 * bootstrap (several clients bootstrapping at once duplicate the first paragraphs).
 * Returns false when the document already existed, which keeps seeding idempotent.
 */
export async function createDocument(
  db: Kysely<Database>,
  input: {
    id: string;
    planId: string;
    kind: DocumentKind;
    paragraphs: string[];
    userId: number | null;
    organisationId: string | null;
  },
): Promise<boolean> {
  const now = nowIso();
  const inserted = await insertDocumentIfNew(db, {
    id: input.id,
    plan_id: input.planId,
    kind: input.kind,
    plain_text: input.paragraphs.join("\n\n"),
    created_at: now,
    updated_at: now,
  });
  if (!inserted) return false;
  await insertDocumentUpdate(db, {
    document_id: input.id,
    update: initialContentUpdate(input.paragraphs),
    user_id: input.userId,
    organisation_id: input.organisationId,
    created_at: now,
  });
  return true;
}

/**
 * Which of these documents the editor cannot read (pages show a notice in their place instead of
 * mounting an editor on them). A few ms per document: read through the sync server, live if open.
 */
export async function unreadableDocuments(
  sync: Pick<SyncServer, "readDocument">,
  documentIds: readonly string[],
): Promise<Set<string>> {
  const out = new Set<string>();
  for (const id of documentIds) {
    const content = await sync.readDocument(id, (doc) => readContent(doc));
    if (!content.readable) out.add(id);
  }
  return out;
}
