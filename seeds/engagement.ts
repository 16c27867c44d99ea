import type { Kysely } from "kysely";
import * as Y from "yjs";
import { listUserOrganisations } from "../db/queries/accounts";
import { insertAction } from "../db/queries/actions";
import { insertComment, insertCommentEvent, insertThread } from "../db/queries/comments";
import { firstDocumentUpdate, insertDocumentUpdateReturningId } from "../db/queries/documents";
import { insertGrantIfAbsent } from "../db/queries/plan-grants";
import { insertPlanIfAbsent } from "../db/queries/plans";
import { insertPowerSharing, insertPowerSharingHistory, insertPowerSharingRequest } from "../db/queries/power-sharing";
import { linkPlanRecommendationIfAbsent } from "../db/queries/recommendations";
import type { Database } from "../db/schema";
import { markRangeUpdate, readParagraphs } from "../server/documents/lexical-content";
import { findQuote } from "../server/documents/text-anchors";
import { createDocument } from "../server/domain/documents";
import { engagementProposal as proposal } from "./data/engagement";
import { inTransaction } from "../db/connection";

/**
 * The draft Community Engagement Strategy proposal, its commitments with their power-sharing
 * records, and two comment threads (their marks are written into the text as the server would).
 * Idempotent like the rest of the seed: stable ids, nothing is overwritten, and the parts that hang
 * off a document (marks, threads; actions, power-sharing rows) are only written when that document
 * is created.
 */
export async function seedEngagement(db: Kysely<Database>, userIds: Map<string, number>, now: string): Promise<void> {
  const user = (email: string) => {
    const id = userIds.get(email);
    if (id === undefined) throw new Error(`Engagement seed names unknown user ${email}`);
    return id;
  };
  const users = await listUserOrganisations(db);
  const organisationOf = (userId: number) => users.find((u) => u.id === userId)!.organisation_id;

  await inTransaction(db, async (trx) => {
    await insertPlanIfAbsent(trx, {
      id: proposal.id,
      kind: "engagement_proposal",
      title: proposal.title,
      summary: proposal.summary,
      strategy_id: null,
      status: "draft",
      created_by: null,
      created_at: now,
    });
    for (const recommendationId of proposal.recommendationIds) {
      await linkPlanRecommendationIfAbsent(trx, proposal.id, recommendationId);
    }
    const grants = [
      ...proposal.editorOrganisationIds.map((organisation_id) => ({ organisation_id, user_id: null, role: "editor" as const })),
      ...proposal.commenterOrganisationIds.map((organisation_id) => ({ organisation_id, user_id: null, role: "commenter" as const })),
      ...proposal.viewerEmails.map((email) => ({ organisation_id: null, user_id: user(email), role: "viewer" as const })),
    ];
    for (const g of grants) {
      await insertGrantIfAbsent(trx, { plan_id: proposal.id, ...g, granted_by: null, created_at: now });
    }

    const overviewId = `doc-${proposal.id}-overview`;
    const created = await createDocument(trx, {
      id: overviewId,
      planId: proposal.id,
      kind: "plan_overview",
      paragraphs: proposal.overview,
      userId: null,
      organisationId: null,
    });
    if (created) {
      const initial = await firstDocumentUpdate(trx, overviewId);
      const doc = new Y.Doc();
      Y.applyUpdate(doc, initial.update);
      for (const t of proposal.threads) {
        const found = findQuote(readParagraphs(doc), t.quote);
        if (found.length !== 1) throw new Error(`Engagement seed thread ${t.id}: its quote must occur exactly once`);
        const author = user(t.authorEmail);
        const update = markRangeUpdate(doc, found[0], t.id, { expectedText: t.quote });
        Y.applyUpdate(doc, update);
        const markUpdateId = await insertDocumentUpdateReturningId(trx, {
          document_id: overviewId,
          update,
          user_id: author,
          organisation_id: organisationOf(author),
          created_at: now,
        });
        const resolvedBy = t.resolvedByEmail ? user(t.resolvedByEmail) : null;
        await insertThread(trx, {
          id: t.id,
          plan_id: proposal.id,
          document_id: overviewId,
          quote: t.quote,
          status: resolvedBy ? "resolved" : "open",
          created_by: author,
          created_by_organisation_id: organisationOf(author),
          created_at: now,
          updated_at: now,
          resolved_by: resolvedBy,
          resolved_at: resolvedBy ? now : null,
          mark_update_id: markUpdateId,
        });
        for (const [i, c] of [{ authorEmail: t.authorEmail, body: t.body }, ...t.replies].entries()) {
          const by = user(c.authorEmail);
          const commentId = await insertComment(trx, {
            thread_id: t.id,
            author_user_id: by,
            author_organisation_id: organisationOf(by),
            body: c.body,
            created_at: now,
            edited_at: null,
            deleted_at: null,
            hidden_at: null,
            hidden_by: null,
            hidden_reason: null,
          });
          await insertCommentEvent(trx, {
            thread_id: t.id,
            comment_id: commentId,
            event: i === 0 ? "created" : "replied",
            actor_user_id: by,
            actor_organisation_id: organisationOf(by),
            created_at: now,
          });
        }
        if (resolvedBy) {
          await insertCommentEvent(trx, {
            thread_id: t.id,
            comment_id: null,
            event: "resolved",
            actor_user_id: resolvedBy,
            actor_organisation_id: organisationOf(resolvedBy),
            created_at: now,
          });
        }
      }
      doc.destroy();
    }

    for (const [i, c] of proposal.commitments.entries()) {
      const documentId = `doc-${c.id}`;
      const made = await createDocument(trx, {
        id: documentId,
        planId: proposal.id,
        kind: "action_description",
        paragraphs: c.description,
        userId: null,
        organisationId: null,
      });
      if (!made) continue;
      await insertAction(trx, {
        id: c.id,
        plan_id: proposal.id,
        priority_id: null,
        document_id: documentId,
        title: c.title,
        position: i + 1,
        created_by: null,
        created_at: now,
        updated_at: now,
      });
      for (const p of c.powerSharing) {
        const cell = { action_id: c.id, stage: p.stage, organisation_id: p.organisationId };
        const values = { level: p.level, commitment: p.commitment, review_date: p.reviewDate };
        if (p.status === "accepted") {
          await insertPowerSharing(trx, { ...cell, ...values, agreed_by: null, agreed_at: now });
        } else {
          const by = user(p.requestedByEmail ?? "");
          await insertPowerSharingRequest(trx, { ...cell, ...values, requested_by: by, requested_by_organisation_id: organisationOf(by), requested_at: now });
        }
        await insertPowerSharingHistory(trx, {
          ...cell,
          event: p.status === "accepted" ? "set" : "proposed",
          from_level: null,
          from_commitment: null,
          from_review_date: null,
          to_level: p.level,
          to_commitment: p.commitment,
          to_review_date: p.reviewDate,
          actor_user_id: p.status === "accepted" ? null : user(p.requestedByEmail ?? ""),
          actor_organisation_id: p.status === "accepted" ? null : organisationOf(user(p.requestedByEmail ?? "")),
          note: "",
          created_at: now,
        });
      }
    }
  });
}
