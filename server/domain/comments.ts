/**
 * Comment threads on a proposal's text. Server-authoritative: threads and comments are SQL rows whose
 * author and organisation come from the session; the text holds only each thread's id, as a MarkNode
 * the server adds on the commenter's behalf (commenters cannot write to the document themselves).
 */
import { randomUUID } from "node:crypto";
import type { Transaction } from "kysely";
import { z } from "zod";
import type { DB } from "../../db/connection";
import { inTransaction, nowIso } from "../../db/connection";
import type { CommentEvent, Database, NotificationKind } from "../../db/schema";
import { findUserAndOrganisationName, listOrganisationNames, usersOfOrganisations } from "../../db/queries/accounts";
import {
  deleteMentions,
  findCommentOfPlan,
  findThreadOfPlan,
  insertComment,
  insertCommentEvent,
  insertMention,
  insertThread,
  markCommentDeleted,
  mentionedOrganisationIds,
  setCommentBody,
  setCommentHidden,
  setThreadStatusRow,
  threadParticipants,
  touchThread,
} from "../../db/queries/comments";
import { findDocumentOfPlan, lastUpdateIdBy } from "../../db/queries/documents";
import { grantsOfPlan } from "../../db/queries/plan-grants";
import { AnchorMismatchError, addMark, readMarks, readParagraphs } from "../documents/lexical-content";
import { findQuote, type TextRange } from "../documents/text-anchors";
import {
  canDeleteComment,
  canEditComment,
  canModerateComments,
  canReply,
  canResolveThread,
  canStartThread,
  planRole,
  type Actor,
} from "../policy";
import type { SyncServer } from "../sync";
import { proposalHref } from "../notifications/links";
import { notifyPeople } from "../notifications/notify";
import { DomainError } from "./errors";
import { parseMentions } from "./mentions";
import { requireProposal, UNEXPECTED_FIELDS } from "./proposals";

type Trx = Transaction<Database>;

/** What the comment functions need from the sync server: the durable server-edit path and reads. */
export type DocumentStore = Pick<SyncServer, "applyServerChange" | "readDocument">;

export const MAX_COMMENT_LENGTH = 5000;
export const MAX_QUOTE_LENGTH = 3000;

const Body = z
  .string({ required_error: "Write a comment before sending it." })
  .trim()
  .min(1, "Write a comment before sending it.")
  .max(MAX_COMMENT_LENGTH, `Keep a comment under ${MAX_COMMENT_LENGTH.toLocaleString("en-GB")} characters; split a longer one into replies.`);

const Point = z.object({ block: z.number().int().min(0), offset: z.number().int().min(0) }).strict();
const Anchor = z
  .string()
  .max(500)
  .transform((raw, ctx) => {
    try {
      return z.object({ start: Point, end: Point }).strict().parse(JSON.parse(raw));
    } catch {
      ctx.addIssue({ code: "custom", message: "The selection could not be read. Select the words again." });
      return z.NEVER;
    }
  });

export const StartThreadInput = z
  .object({
    documentId: z.string().min(1).max(200),
    quote: z
      .string({ required_error: "Select the words you are commenting on, or type them exactly as they appear." })
      .trim()
      .min(1, "Select the words you are commenting on, or type them exactly as they appear.")
      .max(MAX_QUOTE_LENGTH, `Comment on a shorter passage (at most ${MAX_QUOTE_LENGTH.toLocaleString("en-GB")} characters).`),
    anchor: Anchor.optional(),
    body: Body,
  })
  .strict(UNEXPECTED_FIELDS);
export type StartThreadInput = z.input<typeof StartThreadInput>;

const ThreadId = z.string().min(1).max(200);
const CommentId = z.coerce.number({ invalid_type_error: "That comment does not exist." }).int().positive();

export const ReplyInput = z.object({ threadId: ThreadId, body: Body }).strict(UNEXPECTED_FIELDS);
export const EditCommentInput = z.object({ commentId: CommentId, body: Body }).strict(UNEXPECTED_FIELDS);
export const CommentRefInput = z.object({ commentId: CommentId }).strict(UNEXPECTED_FIELDS);
export const HideCommentInput = z
  .object({
    commentId: CommentId,
    reason: z
      .string({ required_error: "Give the reason for hiding this comment; it is shown in its place." })
      .trim()
      .min(3, "Give the reason for hiding this comment; it is shown in its place.")
      .max(500, "Keep the reason under 500 characters."),
  })
  .strict(UNEXPECTED_FIELDS);
export const ThreadRefInput = z.object({ threadId: ThreadId }).strict(UNEXPECTED_FIELDS);

export interface CommentChange {
  planId: string;
  threadId: string;
  summary: string;
}

const THREAD_GONE = "That comment thread does not exist on this proposal. Reload the page to see the current comments.";
const COMMENT_GONE = "That comment does not exist on this proposal. Reload the page to see the current comments.";

async function loadThread(db: DB | Trx, planId: string, threadId: string) {
  const thread = await findThreadOfPlan(db, planId, threadId);
  if (!thread) throw new DomainError(404, THREAD_GONE);
  return thread;
}

async function loadComment(db: DB | Trx, planId: string, commentId: number) {
  const comment = await findCommentOfPlan(db, planId, commentId);
  if (!comment) throw new DomainError(404, COMMENT_GONE);
  return comment;
}

async function event(
  trx: Trx,
  actor: Actor,
  threadId: string,
  commentId: number | null,
  kind: CommentEvent,
  note = "",
) {
  await insertCommentEvent(trx, {
    thread_id: threadId,
    comment_id: commentId,
    event: kind,
    actor_user_id: actor.userId,
    actor_organisation_id: actor.organisationId,
    note,
    created_at: nowIso(),
  });
}

/** Turns `@Name` into organisation ids, refusing the whole comment if one is unknown (nothing is stored). */
async function mentionsIn(db: DB, body: string) {
  const organisations = await listOrganisationNames(db);
  const parsed = parseMentions(body, organisations);
  if (parsed.unknown.length > 0) {
    const names = parsed.unknown.map((u) => `“@${u}”`).join(", ");
    throw new DomainError(
      400,
      `No organisation is called ${names}. Mention an organisation by its full or short name (for example @VCF Alliance), pick it from “Mention an organisation”, or write “at” instead of @. Your comment was not sent.`,
    );
  }
  return parsed.organisationIds.map((id) => organisations.find((o) => o.id === id)!);
}

interface Recipient {
  userId: number;
  kind: NotificationKind;
  summary: string;
}

/** People of the mentioned organisations who can see the proposal, except the author. */
async function mentionRecipients(db: DB | Trx, planId: string, authorId: number, organisationIds: string[]) {
  if (organisationIds.length === 0) return [];
  const [users, grants] = await Promise.all([
    usersOfOrganisations(db, organisationIds),
    grantsOfPlan(db, planId),
  ]);
  return users.filter(
    (u) =>
      u.id !== authorId &&
      planRole({ userId: u.id, organisationId: u.organisation_id, systemRole: u.system_role }, grants) !== "none",
  );
}

async function notify(
  trx: Trx,
  actor: Actor,
  planId: string,
  threadId: string,
  commentId: number | null,
  recipients: Recipient[],
) {
  const seen = new Set<number>();
  for (const r of recipients) {
    if (seen.has(r.userId) || r.userId === actor.userId) continue;
    seen.add(r.userId);
    // The notification and its email (for those who want it at once) commit with the comment.
    await notifyPeople(trx, { kind: r.kind, planId, summary: r.summary, link: proposalHref(planId, `thread-${threadId}`), threadId, commentId, actor }, [r.userId]);
  }
  return seen.size;
}

async function actorNames(db: DB, actor: Actor) {
  const row = await findUserAndOrganisationName(db, actor.userId);
  return { name: row.name, organisation: row.organisation_name, both: `${row.name} (${row.organisation_name})` };
}

function mentionSentence(mentioned: { name: string }[], notified: number): string {
  if (mentioned.length === 0) return "";
  const names = mentioned.map((o) => o.name).join(", ");
  return notified > 0
    ? ` ${names} ${mentioned.length > 1 ? "were" : "was"} notified (${notified} ${notified === 1 ? "person" : "people"}).`
    : ` Nobody at ${names} can see this proposal yet, so nobody was notified; an editor can invite them to comment.`;
}

const short = (text: string, max = 60) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/**
 * Starts a thread on some words of one of the proposal's documents. The mark goes into the text first
 * (through the sync server's durable path, credited to the commenter); if the words changed meanwhile
 * the commenter is told to select them again and nothing is stored.
 */
export async function startThread(
  db: DB,
  docs: DocumentStore,
  actor: Actor,
  planId: string,
  raw: unknown,
): Promise<CommentChange & { threadId: string }> {
  const { role } = await requireProposal(db, actor, planId);
  if (!canStartThread(role)) {
    throw new DomainError(403, "You can read this proposal but not comment on it. Ask its facilitator for comment access.");
  }
  const input = StartThreadInput.parse(raw);
  const document = await findDocumentOfPlan(db, planId, input.documentId);
  if (!document) throw new DomainError(404, "That text is not part of this proposal any more. Reload the page.");
  const mentioned = await mentionsIn(db, input.body);

  let range: TextRange;
  if (input.anchor) {
    range = input.anchor;
  } else {
    const paragraphs = await docs.readDocument(document.id, (doc) => readParagraphs(doc));
    const found = findQuote(paragraphs, input.quote);
    if (found.length === 0) {
      throw new DomainError(
        409,
        "Those words are not in the text (any more). Select them in the text, or copy them exactly as they appear, and send your comment again.",
      );
    }
    if (found.length > 1) {
      throw new DomainError(
        409,
        `Those words appear ${found.length} times in the text. Add a few words before or after them so they point at one place.`,
      );
    }
    range = found[0];
  }

  const threadId = `thr-${randomUUID()}`;
  try {
    await docs.applyServerChange(document.id, { userId: actor.userId, organisationId: actor.organisationId }, (doc) =>
      addMark(doc, range, threadId, { expectedText: input.quote }),
    );
  } catch (error) {
    if (error instanceof AnchorMismatchError) {
      throw new DomainError(
        409,
        "The text you selected has changed since you selected it (someone may be editing it). Select the words again and send your comment.",
      );
    }
    throw error;
  }
  // The update row that carried the mark, so "what changed" does not count it as a text edit.
  const markUpdateId = await lastUpdateIdBy(db, document.id, actor.userId);

  const who = await actorNames(db, actor);
  const now = nowIso();
  const notified = await inTransaction(db, async (trx) => {
    await insertThread(trx, {
      id: threadId,
      plan_id: planId,
      document_id: document.id,
      quote: input.quote,
      status: "open",
      created_by: actor.userId,
      created_by_organisation_id: actor.organisationId,
      created_at: now,
      updated_at: now,
      resolved_by: null,
      resolved_at: null,
      mark_update_id: markUpdateId,
    });
    const comment = {
      id: await insertComment(trx, {
        thread_id: threadId,
        author_user_id: actor.userId,
        author_organisation_id: actor.organisationId,
        body: input.body,
        created_at: now,
        edited_at: null,
        deleted_at: null,
        hidden_at: null,
        hidden_by: null,
        hidden_reason: null,
      }),
    };
    for (const o of mentioned) {
      await insertMention(trx, comment.id, o.id);
    }
    await event(trx, actor, threadId, comment.id, "created");
    const recipients = await mentionRecipients(trx, planId, actor.userId, mentioned.map((o) => o.id));
    return notify(
      trx,
      actor,
      planId,
      threadId,
      comment.id,
      recipients.map((u) => ({
        userId: u.id,
        kind: "mention",
        summary: `${who.both} mentioned ${mentioned.find((o) => o.id === u.organisation_id)?.name ?? "your organisation"} in a comment on “${short(input.quote)}”.`,
      })),
    );
  });
  return {
    planId,
    threadId,
    summary: `${who.both} commented on “${short(input.quote)}”.${mentionSentence(mentioned, notified)}`,
  };
}

export async function reply(db: DB, actor: Actor, planId: string, raw: unknown): Promise<CommentChange> {
  const { role } = await requireProposal(db, actor, planId);
  const input = ReplyInput.parse(raw);
  const thread = await loadThread(db, planId, input.threadId);
  if (!canReply(role, thread)) {
    if (!canStartThread(role)) {
      throw new DomainError(403, "You can read this proposal but not comment on it. Ask its facilitator for comment access.");
    }
    throw new DomainError(
      409,
      canResolveThread(actor, role, thread)
        ? "This thread is resolved. Reopen it to reply."
        : "This thread is resolved. Ask the person who started it, or an editor, to reopen it if there is more to say.",
    );
  }
  const mentioned = await mentionsIn(db, input.body);
  const who = await actorNames(db, actor);
  const now = nowIso();
  const notified = await inTransaction(db, async (trx) => {
    const comment = {
      id: await insertComment(trx, {
        thread_id: thread.id,
        author_user_id: actor.userId,
        author_organisation_id: actor.organisationId,
        body: input.body,
        created_at: now,
        edited_at: null,
        deleted_at: null,
        hidden_at: null,
        hidden_by: null,
        hidden_reason: null,
      }),
    };
    for (const o of mentioned) {
      await insertMention(trx, comment.id, o.id);
    }
    await event(trx, actor, thread.id, comment.id, "replied");
    await touchThread(trx, thread.id, now);
    const mentionedUsers = await mentionRecipients(trx, planId, actor.userId, mentioned.map((o) => o.id));
    // Everyone who has written in the thread hears of the reply.
    const participants = await threadParticipants(trx, thread.id);
    const mentionCount = await notify(
      trx,
      actor,
      planId,
      thread.id,
      comment.id,
      mentionedUsers.map((u) => ({
        userId: u.id,
        kind: "mention",
        summary: `${who.both} mentioned ${mentioned.find((o) => o.id === u.organisation_id)?.name ?? "your organisation"} in a reply on “${short(thread.quote)}”.`,
      })),
    );
    await notify(
      trx,
      actor,
      planId,
      thread.id,
      comment.id,
      participants
        .filter((p) => !mentionedUsers.some((u) => u.id === p.author_user_id))
        .map((p) => ({
          userId: p.author_user_id,
          kind: "reply",
          summary: `${who.both} replied in the thread on “${short(thread.quote)}”.`,
        })),
    );
    return mentionCount;
  });
  return {
    planId,
    threadId: thread.id,
    summary: `${who.both} replied on “${short(thread.quote)}”.${mentionSentence(mentioned, notified)}`,
  };
}

export async function editComment(db: DB, actor: Actor, planId: string, raw: unknown): Promise<CommentChange> {
  const { role } = await requireProposal(db, actor, planId);
  const input = EditCommentInput.parse(raw);
  const comment = await loadComment(db, planId, input.commentId);
  if (!canEditComment(actor, role, comment)) {
    throw new DomainError(
      403,
      comment.author_user_id !== actor.userId
        ? "You can only edit your own comments."
        : comment.hidden_at
          ? "A facilitator hid this comment, so it cannot be edited. You can delete it."
          : "This comment can no longer be edited.",
    );
  }
  if (comment.body === input.body) throw new DomainError(409, "The comment already says that; nothing changed.");
  const mentioned = await mentionsIn(db, input.body);
  const before = new Set(await mentionedOrganisationIds(db, comment.id));
  const who = await actorNames(db, actor);
  const thread = await loadThread(db, planId, comment.thread_id);
  const now = nowIso();
  const notified = await inTransaction(db, async (trx) => {
    await setCommentBody(trx, comment.id, input.body, now);
    const added = mentioned.filter((o) => !before.has(o.id));
    for (const o of added) {
      await insertMention(trx, comment.id, o.id);
    }
    await event(trx, actor, comment.thread_id, comment.id, "edited");
    await touchThread(trx, comment.thread_id, now);
    const users = await mentionRecipients(trx, planId, actor.userId, added.map((o) => o.id));
    return notify(
      trx,
      actor,
      planId,
      comment.thread_id,
      comment.id,
      users.map((u) => ({
        userId: u.id,
        kind: "mention",
        summary: `${who.both} mentioned ${added.find((o) => o.id === u.organisation_id)?.name ?? "your organisation"} in a comment on “${short(thread.quote)}”.`,
      })),
    );
  });
  const added = mentioned.filter((o) => !before.has(o.id));
  return { planId, threadId: comment.thread_id, summary: `${who.both} edited a comment.${mentionSentence(added, notified)}` };
}

/** The author deletes their comment: the words are removed for good, the place in the thread stays. */
export async function deleteComment(db: DB, actor: Actor, planId: string, raw: unknown): Promise<CommentChange> {
  const { role } = await requireProposal(db, actor, planId);
  const input = CommentRefInput.parse(raw);
  const comment = await loadComment(db, planId, input.commentId);
  if (!canDeleteComment(actor, role, comment)) {
    throw new DomainError(
      403,
      comment.author_user_id !== actor.userId
        ? "You can only delete your own comments. A facilitator can hide a comment that breaks the ground rules."
        : "This comment is already deleted.",
    );
  }
  const who = await actorNames(db, actor);
  const now = nowIso();
  await inTransaction(db, async (trx) => {
    await markCommentDeleted(trx, comment.id, now);
    await deleteMentions(trx, comment.id);
    await event(trx, actor, comment.thread_id, comment.id, "deleted");
    await touchThread(trx, comment.thread_id, now);
  });
  return { planId, threadId: comment.thread_id, summary: `${who.both} deleted a comment.` };
}

/** A facilitator hides a comment; who and why are recorded and shown in its place. */
export async function hideComment(db: DB, actor: Actor, planId: string, raw: unknown): Promise<CommentChange> {
  const { role } = await requireProposal(db, actor, planId);
  const input = HideCommentInput.parse(raw);
  const comment = await loadComment(db, planId, input.commentId);
  if (!canModerateComments(role)) {
    throw new DomainError(403, "Only a facilitator can hide comments. If a comment breaks the ground rules, tell the facilitator.");
  }
  if (comment.deleted_at) throw new DomainError(409, "This comment was deleted by its author; there is nothing to hide.");
  if (comment.hidden_at) throw new DomainError(409, "This comment is already hidden.");
  const who = await actorNames(db, actor);
  const now = nowIso();
  await inTransaction(db, async (trx) => {
    await setCommentHidden(trx, comment.id, { hidden_at: now, hidden_by: actor.userId, hidden_reason: input.reason });
    await event(trx, actor, comment.thread_id, comment.id, "hidden", input.reason);
    await touchThread(trx, comment.thread_id, now);
    // Its author is told, with the reason, so they can write it again within the ground rules.
    await notify(trx, actor, planId, comment.thread_id, comment.id, [
      {
        userId: comment.author_user_id,
        kind: "comment_hidden",
        summary: `${who.both} hid your comment “${short(comment.body)}”. The reason given: ${input.reason}`,
      },
    ]);
  });
  return { planId, threadId: comment.thread_id, summary: `${who.both} hid a comment: ${input.reason}` };
}

export async function unhideComment(db: DB, actor: Actor, planId: string, raw: unknown): Promise<CommentChange> {
  const { role } = await requireProposal(db, actor, planId);
  const input = CommentRefInput.parse(raw);
  const comment = await loadComment(db, planId, input.commentId);
  if (!canModerateComments(role)) throw new DomainError(403, "Only a facilitator can show a hidden comment again.");
  if (!comment.hidden_at) throw new DomainError(409, "This comment is not hidden.");
  const who = await actorNames(db, actor);
  const now = nowIso();
  await inTransaction(db, async (trx) => {
    await setCommentHidden(trx, comment.id, { hidden_at: null, hidden_by: null, hidden_reason: null });
    await event(trx, actor, comment.thread_id, comment.id, "unhidden");
    await touchThread(trx, comment.thread_id, now);
  });
  return { planId, threadId: comment.thread_id, summary: `${who.both} showed a hidden comment again.` };
}

export async function setThreadStatus(
  db: DB,
  actor: Actor,
  planId: string,
  raw: unknown,
  status: "open" | "resolved",
): Promise<CommentChange> {
  const { role } = await requireProposal(db, actor, planId);
  const input = ThreadRefInput.parse(raw);
  const thread = await loadThread(db, planId, input.threadId);
  if (!canResolveThread(actor, role, thread)) {
    throw new DomainError(
      403,
      "Only the person who started this thread or an editor of the proposal can resolve or reopen it.",
    );
  }
  if (thread.status === status) {
    throw new DomainError(409, status === "resolved" ? "This thread is already resolved." : "This thread is already open.");
  }
  const who = await actorNames(db, actor);
  const now = nowIso();
  await inTransaction(db, async (trx) => {
    await setThreadStatusRow(trx, thread.id, {
      status,
      updated_at: now,
      resolved_by: status === "resolved" ? actor.userId : null,
      resolved_at: status === "resolved" ? now : null,
    });
    await event(trx, actor, thread.id, null, status === "resolved" ? "resolved" : "reopened");
    if (status === "resolved" && thread.created_by !== actor.userId) {
      await notify(trx, actor, planId, thread.id, null, [
        {
          userId: thread.created_by,
          kind: "resolved",
          summary: `${who.both} resolved your thread on “${short(thread.quote)}”.`,
        },
      ]);
    }
  });
  return {
    planId,
    threadId: thread.id,
    summary: `${who.both} ${status === "resolved" ? "resolved" : "reopened"} the thread on “${short(thread.quote)}”.`,
  };
}

/**
 * Where each thread is anchored now: the words its mark covers in the live document (or the stored
 * one), or null when the mark is gone because its words were deleted (the thread is "detached" and
 * keeps its quote). Each document is read once.
 */
export async function anchorStates(
  docs: Pick<DocumentStore, "readDocument">,
  threads: readonly { id: string; document_id: string }[],
): Promise<Map<string, string | null>> {
  const documentIds = [...new Set(threads.map((t) => t.document_id))];
  const marks = new Map(
    await Promise.all(documentIds.map(async (id) => [id, await docs.readDocument(id, (doc) => readMarks(doc))] as const)),
  );
  return new Map(threads.map((t) => [t.id, marks.get(t.document_id)?.get(t.id) ?? null]));
}
