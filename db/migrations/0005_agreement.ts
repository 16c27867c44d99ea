import { sql, type Kysely } from "kysely";
import { autoId, appendOnly, int64 } from "./dialect";

/**
 * Agreement on equal terms: sign-offs of exact text, the agreement state they lead to, the trail
 * of both, and suggestions from partners without edit rights.
 *
 * Subjects are named by (subject_type, subject_id) rather than by an action foreign key, so a
 * section of an engagement proposal (a document) can be signed off with the same tables later:
 * subject_type 'action' today, e.g. 'proposal_section' then.
 *
 * Frozen in time: never edit a migration that has shipped; add a new numbered one.
 */
export async function up(db: Kysely<any>): Promise<void> {
  // Append-only: one row per act of signing or withdrawing. The current sign-off of an
  // organisation is its newest row for the subject.
  await db.schema
    .createTable("sign_offs")
    .addColumn("id", int64(db), autoId(db))
    .addColumn("subject_type", "text", (c) => c.notNull())
    .addColumn("subject_id", "text", (c) => c.notNull())
    .addColumn("plan_id", "text", (c) => c.notNull().references("plans.id"))
    .addColumn("organisation_id", "text", (c) => c.notNull().references("organisations.id"))
    .addColumn("user_id", int64(db), (c) => c.notNull().references("users.id"))
    // signed | withdrawn
    .addColumn("kind", "text", (c) => c.notNull())
    // sha256 of the canonical text (title and paragraphs) the person saw when signing.
    .addColumn("fingerprint", "text", (c) => c.notNull())
    // JSON array, sorted: the partners named on the subject when this organisation signed.
    .addColumn("named_organisations", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("sign_offs_subject")
    .on("sign_offs")
    .columns(["subject_type", "subject_id", "id"])
    .execute();
  await db.schema.createIndex("sign_offs_plan").on("sign_offs").columns(["plan_id", "id"]).execute();

  // The exact words behind each fingerprint that anyone signed, so agreed text stays readable
  // whatever happens to the live document.
  await db.schema
    .createTable("agreed_texts")
    .addColumn("subject_type", "text", (c) => c.notNull())
    .addColumn("subject_id", "text", (c) => c.notNull())
    .addColumn("fingerprint", "text", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    // JSON array of paragraph strings, as read from the document.
    .addColumn("paragraphs", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("agreed_texts_pk", ["subject_type", "subject_id", "fingerprint"])
    .execute();

  // The server's current verdict per subject (draft | proposed | agreed), recomputed whenever a
  // sign-off, the named partners or the text change. Mirrored into actions.status for actions.
  await db.schema
    .createTable("agreement_state")
    .addColumn("subject_type", "text", (c) => c.notNull())
    .addColumn("subject_id", "text", (c) => c.notNull())
    .addColumn("plan_id", "text", (c) => c.notNull().references("plans.id"))
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("fingerprint", "text", (c) => c.notNull())
    .addColumn("agreed_fingerprint", "text")
    .addColumn("agreed_at", "text")
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("agreement_state_pk", ["subject_type", "subject_id"])
    .execute();

  // Append-only: every change of that verdict, with its cause and, when a person caused it, who.
  await db.schema
    .createTable("agreement_history")
    .addColumn("id", int64(db), autoId(db))
    .addColumn("subject_type", "text", (c) => c.notNull())
    .addColumn("subject_id", "text", (c) => c.notNull())
    .addColumn("plan_id", "text", (c) => c.notNull().references("plans.id"))
    .addColumn("from_status", "text", (c) => c.notNull())
    .addColumn("to_status", "text", (c) => c.notNull())
    .addColumn("fingerprint", "text", (c) => c.notNull())
    // signed | withdrawn | text_changed | partners_changed
    .addColumn("cause", "text", (c) => c.notNull())
    .addColumn("actor_user_id", int64(db), (c) => c.references("users.id"))
    .addColumn("actor_organisation_id", "text", (c) => c.references("organisations.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("agreement_history_subject")
    .on("agreement_history")
    .columns(["subject_type", "subject_id", "id"])
    .execute();
  await db.schema.createIndex("agreement_history_plan").on("agreement_history").columns(["plan_id", "id"]).execute();

  // The trail cannot be rewritten, even by a bug: the database refuses it.
  for (const table of ["sign_offs", "agreement_history"]) {
    await appendOnly(db, table, "\n         ");
  }

  // Replacement words proposed by someone (typically without edit rights) for a quoted range.
  await db.schema
    .createTable("suggestions")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("plan_id", "text", (c) => c.notNull().references("plans.id"))
    .addColumn("subject_type", "text", (c) => c.notNull())
    .addColumn("subject_id", "text", (c) => c.notNull())
    .addColumn("document_id", "text", (c) => c.notNull().references("documents.id"))
    .addColumn("author_user_id", int64(db), (c) => c.notNull().references("users.id"))
    .addColumn("author_organisation_id", "text", (c) => c.notNull().references("organisations.id"))
    // Where the quote was when the suggestion was made: top-level block, character offsets.
    .addColumn("block_index", int64(db), (c) => c.notNull())
    .addColumn("start_offset", int64(db), (c) => c.notNull())
    .addColumn("end_offset", int64(db), (c) => c.notNull())
    .addColumn("quote", "text", (c) => c.notNull())
    .addColumn("replacement", "text", (c) => c.notNull())
    .addColumn("note", "text", (c) => c.notNull().defaultTo(""))
    // open | accepted | rejected | withdrawn
    .addColumn("status", "text", (c) => c.notNull().defaultTo("open"))
    .addColumn("decided_by_user_id", int64(db), (c) => c.references("users.id"))
    .addColumn("decided_by_organisation_id", "text", (c) => c.references("organisations.id"))
    .addColumn("decided_at", "text")
    .addColumn("decision_note", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("suggestions_subject")
    .on("suggestions")
    .columns(["subject_type", "subject_id", "created_at"])
    .execute();
  await db.schema.createIndex("suggestions_plan").on("suggestions").columns(["plan_id", "status"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("suggestions").execute();
  await db.schema.dropTable("agreement_history").execute();
  await db.schema.dropTable("agreement_state").execute();
  await db.schema.dropTable("agreed_texts").execute();
  await db.schema.dropTable("sign_offs").execute();
}
