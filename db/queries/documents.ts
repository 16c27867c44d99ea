import { sql, type Insertable } from "kysely";
import type SQLite from "better-sqlite3";
import type { DB } from "../connection";
import type { DocumentTable, DocumentUpdateTable } from "../schema";
import type { PlanRole, SystemRole } from "../schema";

/** What is on disk for one Yjs document: the newest snapshot and the updates written after it. */
export interface StoredDocumentState {
  snapshot: { state: Uint8Array; lastUpdateId: number } | null;
  /** In id order, all with id > snapshot.lastUpdateId. */
  updates: { id: number; update: Uint8Array }[];
}

export async function loadStoredDocument(db: DB, documentId: string): Promise<StoredDocumentState> {
  const snapshot = await db
    .selectFrom("document_snapshots")
    .select(["state", "last_update_id"])
    .where("document_id", "=", documentId)
    .orderBy("id", "desc")
    .limit(1)
    .executeTakeFirst();
  const after = snapshot?.last_update_id ?? 0;
  const updates = await db
    .selectFrom("document_updates")
    .select(["id", "update"])
    .where("document_id", "=", documentId)
    .where("id", ">", after)
    .orderBy("id", "asc")
    .execute();
  return {
    snapshot: snapshot ? { state: snapshot.state, lastUpdateId: snapshot.last_update_id } : null,
    updates,
  };
}

export interface DocumentAccessFacts {
  user: { organisationId: string; systemRole: SystemRole };
  grants: { organisation_id: string | null; user_id: number | null; role: PlanRole }[];
}

/**
 * The facts the policy needs to decide a user's right to a document: null when the document does
 * not exist, `user: null` when the account is gone. The user's organisation and system role are
 * read fresh, so a re-check after a change of role or organisation sees the change.
 */
export async function findDocumentAccessFacts(
  db: DB,
  documentId: string,
  userId: number,
): Promise<{ user: DocumentAccessFacts["user"] | null; grants: DocumentAccessFacts["grants"] } | null> {
  const doc = await db
    .selectFrom("documents")
    .select("plan_id")
    .where("id", "=", documentId)
    .executeTakeFirst();
  if (!doc) return null;
  const [user, grants] = await Promise.all([
    db
      .selectFrom("users")
      .select(["organisation_id as organisationId", "system_role as systemRole"])
      .where("id", "=", userId)
      .executeTakeFirst(),
    db
      .selectFrom("plan_grants")
      .select(["organisation_id", "user_id", "role"])
      .where("plan_id", "=", doc.plan_id)
      .execute(),
  ]);
  return { user: user ?? null, grants };
}

/**
 * Prepared statements for the sync server's write path. They run on the raw better-sqlite3 handle,
 * synchronously, so a batch of updates is committed inside one event-loop turn and nothing else
 * (no other message, no broadcast) can run between "applied in memory" and "committed".
 */
export interface DocumentWriteStatements {
  appendUpdate(row: {
    documentId: string;
    update: Uint8Array;
    userId: number | null;
    organisationId: string | null;
    createdAt: string;
  }): number;
  touchDocument(documentId: string, updatedAt: string): void;
  /** The highest stored update id of a document (0 if none): what a new update is stored after. */
  lastUpdateId(documentId: string): number;
  insertSnapshot(row: {
    documentId: string;
    state: Uint8Array;
    stateVector: Uint8Array;
    lastUpdateId: number;
    createdAt: string;
  }): void;
  setPlainText(documentId: string, plainText: string): void;
  /** The stored state, read synchronously (a room forgetting a refused update reloads from it). */
  readStored(documentId: string): StoredDocumentState;
}

export function prepareDocumentWrites(sqlite: SQLite.Database): DocumentWriteStatements {
  const appendUpdate = sqlite.prepare(
    `insert into document_updates (document_id, "update", user_id, organisation_id, created_at)
     values (?, ?, ?, ?, ?)`,
  );
  const touchDocument = sqlite.prepare(`update documents set updated_at = ? where id = ?`);
  const lastUpdateId = sqlite.prepare(`select max(id) as id from document_updates where document_id = ?`);
  const insertSnapshot = sqlite.prepare(
    `insert into document_snapshots (document_id, state, state_vector, last_update_id, created_at)
     values (?, ?, ?, ?, ?)`,
  );
  const setPlainText = sqlite.prepare(`update documents set plain_text = ? where id = ?`);
  const lastSnapshot = sqlite.prepare(
    `select state, last_update_id from document_snapshots where document_id = ? order by id desc limit 1`,
  );
  const updatesAfter = sqlite.prepare(
    `select id, "update" from document_updates where document_id = ? and id > ? order by id asc`,
  );
  return {
    appendUpdate: (r) =>
      Number(
        appendUpdate.run(r.documentId, r.update, r.userId, r.organisationId, r.createdAt)
          .lastInsertRowid,
      ),
    touchDocument: (id, at) => void touchDocument.run(at, id),
    lastUpdateId: (id) => Number((lastUpdateId.get(id) as { id: number | null } | undefined)?.id ?? 0),
    insertSnapshot: (r) =>
      void insertSnapshot.run(r.documentId, r.state, r.stateVector, r.lastUpdateId, r.createdAt),
    setPlainText: (id, text) => void setPlainText.run(text, id),
    readStored: (id) => {
      const snapshot = lastSnapshot.get(id) as { state: Uint8Array; last_update_id: number } | undefined;
      const updates = updatesAfter.all(id, snapshot?.last_update_id ?? 0) as { id: number; update: Uint8Array }[];
      return {
        snapshot: snapshot ? { state: snapshot.state, lastUpdateId: snapshot.last_update_id } : null,
        updates,
      };
    },
  };
}

/**
 * A document's stored updates after `afterId`, in id order: what a node of a cluster lacks when
 * Redis lost entries (the database is the truth; Redis only carries them faster).
 */
export async function documentUpdatesAfter(db: DB, documentId: string, afterId: number, limit = 5000) {
  return db
    .selectFrom("document_updates")
    .select(["id", "update"])
    .where("document_id", "=", documentId)
    .where("id", ">", afterId)
    .orderBy("id")
    .limit(limit)
    .execute();
}

/** A page of documents in id order, after `afterId` (the start-up scan walks them all this way). */
export async function listDocumentsAfter(db: DB, afterId: string, limit: number): Promise<{ id: string; plan_id: string }[]> {
  return db.selectFrom("documents").select(["id", "plan_id"]).where("id", ">", afterId).orderBy("id").limit(limit).execute();
}

/** A plan's documents with the action (and its priority's code) each belongs to, if any. */
export async function planDocumentsWithActions(db: DB, planId: string) {
  return db
    .selectFrom("documents")
    .leftJoin("actions", "actions.document_id", "documents.id")
    .leftJoin("priorities", "priorities.id", "actions.priority_id")
    .select(["documents.id", "documents.kind", "actions.id as action_id", "actions.title", "actions.position", "priorities.code"])
    .where("documents.plan_id", "=", planId)
    .execute();
}

export async function countPlanDocuments(db: DB, planId: string) {
  return db.selectFrom("documents").select((eb) => eb.fn.countAll<number>().as("n")).where("plan_id", "=", planId).executeTakeFirst();
}

/** The plan's own sections (not action descriptions), oldest first, for a workshop to put on screen. */
export async function planSections(db: DB, planId: string) {
  return db
    .selectFrom("documents")
    .select(["id", "kind", "plain_text"])
    .where("plan_id", "=", planId)
    .where("kind", "!=", "action_description")
    .orderBy("created_at")
    .execute();
}

/** Inserts the document unless its id exists already; true when it was inserted. */
export async function insertDocumentIfNew(db: DB, row: Insertable<DocumentTable>): Promise<boolean> {
  const inserted = await db
    .insertInto("documents")
    .values(row)
    .onConflict((oc) => oc.column("id").doNothing())
    .executeTakeFirst();
  return Number(inserted.numInsertedOrUpdatedRows ?? 0) !== 0;
}

export async function insertDocumentUpdate(db: DB, row: Insertable<DocumentUpdateTable>) {
  await db.insertInto("document_updates").values(row).execute();
}

export async function findDocumentOfPlan(db: DB, planId: string, documentId: string) {
  return db.selectFrom("documents").select(["id", "kind"]).where("id", "=", documentId).where("plan_id", "=", planId).executeTakeFirst();
}

/** The newest update row a person wrote to a document (null when none). */
export async function lastUpdateIdBy(db: DB, documentId: string, userId: number): Promise<number | null> {
  const row = await db
    .selectFrom("document_updates")
    .select((eb) => eb.fn.max("id").as("id"))
    .where("document_id", "=", documentId)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  return row?.id == null ? null : Number(row.id);
}

/** Every stored update of a document, oldest first (no snapshot: for documents never compacted, as at seeding). */
export async function documentUpdateBlobs(db: DB, documentId: string) {
  return db.selectFrom("document_updates").select("update").where("document_id", "=", documentId).orderBy("id").execute();
}

/** The document's first stored update (a freshly created document has exactly one). */
export async function firstDocumentUpdate(db: DB, documentId: string) {
  return db.selectFrom("document_updates").select("update").where("document_id", "=", documentId).executeTakeFirstOrThrow();
}

export async function insertDocumentUpdateReturningId(db: DB, row: Insertable<DocumentUpdateTable>): Promise<number> {
  return (await db.insertInto("document_updates").values(row).returning("id").executeTakeFirstOrThrow()).id;
}

/** Every stored update of these documents with its author, oldest first, for "who wrote this". */
export async function authoredUpdatesOf(db: DB, documentIds: readonly string[]) {
  return db
    .selectFrom("document_updates")
    .select(["document_id", "update", "user_id", "organisation_id"])
    .where("document_id", "in", [...documentIds])
    .orderBy("id")
    .execute();
}

/** The document's words as of its last save, for search and listings. */
export async function setDocumentPlainText(db: DB, documentId: string, plainText: string, now: string): Promise<void> {
  await db.updateTable("documents").set({ plain_text: plainText, updated_at: now }).where("id", "=", documentId).execute();
}

/**
 * The sync writer's statements for PostgreSQL, where nothing is synchronous: one flush's updates
 * of one document in one multi-row insert, ids returned in the order of the rows.
 */
export async function appendDocumentUpdates(
  trx: DB,
  documentId: string,
  rows: { update: Uint8Array; userId: number | null; organisationId: string | null }[],
  createdAt: string,
): Promise<number[]> {
  if (rows.length === 0) return [];
  const inserted = await trx
    .insertInto("document_updates")
    .values(
      rows.map((r) => ({
        document_id: documentId,
        update: r.update,
        user_id: r.userId,
        organisation_id: r.organisationId,
        created_at: createdAt,
      })),
    )
    .returning("id")
    .execute();
  // Identity values are drawn row by row in VALUES order; sorted so the mapping never depends on
  // the order RETURNING happens to use.
  return inserted.map((r) => r.id).sort((a, b) => a - b);
}

export async function touchDocument(trx: DB, documentId: string, updatedAt: string): Promise<void> {
  await trx.updateTable("documents").set({ updated_at: updatedAt }).where("id", "=", documentId).execute();
}

export async function insertDocumentSnapshot(
  trx: DB,
  row: { documentId: string; state: Uint8Array; stateVector: Uint8Array; lastUpdateId: number; createdAt: string },
): Promise<void> {
  await trx
    .insertInto("document_snapshots")
    .values({
      document_id: row.documentId,
      state: row.state,
      state_vector: row.stateVector,
      last_update_id: row.lastUpdateId,
      created_at: row.createdAt,
    })
    .execute();
}

/** The words stored with a snapshot (the sync writer on PostgreSQL; updated_at is the commit's). */
export async function setSnapshotPlainText(trx: DB, documentId: string, plainText: string): Promise<void> {
  await trx.updateTable("documents").set({ plain_text: plainText }).where("id", "=", documentId).execute();
}

/**
 * PostgreSQL only: one compaction per document at a time across every node. A transaction-level
 * advisory lock on the document id (released at commit or rollback); false when another holds it.
 */
export async function tryLockDocumentForCompaction(trx: DB, documentId: string): Promise<boolean> {
  const { rows } = await sql<{ locked: number }>`select pg_try_advisory_xact_lock(hashtextextended(${"document:" + documentId}, 0)) as locked`.execute(trx);
  return rows[0]?.locked === 1;
}

/**
 * One group commit of the sync writer on PostgreSQL: every document's updates (in order, with
 * their authors) and its updated_at, in one transaction. Returns, per document, the ids and the id
 * of the update stored just before them (0 for none), which other nodes use to see gaps.
 *
 * The document row is updated first: its row lock serialises the writers of one document across
 * nodes, so the newest id read after it is really the one before ours and ours are drawn after it.
 * Documents are taken in id order, so two nodes committing the same documents never deadlock.
 */
export async function commitDocumentUpdates(
  db: DB,
  batch: { documentId: string; updates: { update: Uint8Array; userId: number | null; organisationId: string | null }[] }[],
  createdAt: string,
): Promise<{ previous: number; ids: number[] }[]> {
  return db.transaction().execute(async (trx) => {
    const out = new Array<{ previous: number; ids: number[] }>(batch.length);
    const order = batch.map((_, i) => i).sort((a, b) => (batch[a].documentId < batch[b].documentId ? -1 : batch[a].documentId > batch[b].documentId ? 1 : 0));
    for (const i of order) {
      const { documentId, updates } = batch[i];
      await touchDocument(trx, documentId, createdAt);
      const previous = (await lastUpdateIds(trx, [documentId])).get(documentId) ?? 0;
      out[i] = { previous, ids: await appendDocumentUpdates(trx, documentId, updates, createdAt) };
    }
    return out;
  });
}

/**
 * A snapshot (and the words read from it) under the document's compaction lock; false, writing
 * nothing, when another node is compacting the same document.
 */
export async function storeDocumentSnapshot(
  db: DB,
  snapshot: { documentId: string; state: Uint8Array; stateVector: Uint8Array; lastUpdateId: number; plainText: string | null; createdAt: string },
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    if (!(await tryLockDocumentForCompaction(trx, snapshot.documentId))) return false;
    await insertDocumentSnapshot(trx, snapshot);
    if (snapshot.plainText !== null) await setSnapshotPlainText(trx, snapshot.documentId, snapshot.plainText);
    return true;
  });
}

/** The id of the newest stored update of each of these documents (documents without updates are absent). */
export async function lastUpdateIds(db: DB, documentIds: readonly string[]): Promise<Map<string, number>> {
  const last = await db
    .selectFrom("document_updates")
    .select((eb) => ["document_id", eb.fn.max("id").as("last")])
    .where("document_id", "in", documentIds)
    .groupBy("document_id")
    .execute();
  return new Map(last.map((r) => [r.document_id, Number(r.last)]));
}

/**
 * A document of a plan with what it is the text of: the action it describes (if any) and the
 * plan's kind and title. Null when the document does not exist.
 */
export async function findDocumentSubject(db: DB, documentId: string) {
  const row = await db
    .selectFrom("documents")
    .innerJoin("plans", "plans.id", "documents.plan_id")
    .leftJoin("actions", "actions.document_id", "documents.id")
    .select([
      "documents.id",
      "documents.plan_id",
      "documents.kind",
      "plans.kind as plan_kind",
      "plans.title as plan_title",
      "actions.id as action_id",
      "actions.title as action_title",
    ])
    .where("documents.id", "=", documentId)
    .executeTakeFirst();
  return row ?? null;
}
