import { unreadableDocuments } from "../../server/domain/documents";
import type { AppLoadContext } from "@remix-run/node";
import { changesSince, loadProposalContents, loadThreads } from "../../db/queries/proposals";
import { listPlanSuggestions } from "../../db/queries/suggestions";
import type { SuggestionView } from "./agreement.server";
import type { SessionUser } from "../../server/auth/sessions";
import { anchorStates } from "../../server/domain/comments";
import { LEVELS, STAGES } from "../../server/domain/power-sharing";
import { recordVisit, requireProposal } from "../../server/domain/proposals";
import {
  can,
  canDecideSuggestion,
  canDeleteComment,
  canEditComment,
  canInviteCommenters,
  canModerateComments,
  canReadHiddenComment,
  canRemovePowerSharingRow,
  canReply,
  canResolveThread,
  canRespondToPowerSharing,
  canStartThread,
  canSuggest,
  canWithdrawSuggestion,
  canWithdrawPowerSharingRequest,
  powerSharingChange,
  type Actor,
} from "../../server/policy";
import { presenceColour } from "../../server/presence-colours";
import { actorOf } from "./auth.server";
import { sectionAgreementForProposal } from "./section-agreement.server";

/** Everything the proposal page shows, with what this user may do on each item decided by the policy. */
export async function loadProposalPage(
  context: AppLoadContext,
  user: SessionUser,
  planId: string,
  opts: { recordVisit: boolean } = { recordVisit: true },
) {
  const { db } = context.app;
  const actor: Actor = actorOf(user);
  const { plan, role } = await requireProposal(db, actor, planId);
  const since = opts.recordVisit ? await recordVisit(db, user.userId, planId) : null;
  const [contents, threadData, changes, suggestionRows] = await Promise.all([
    loadProposalContents(db, planId),
    loadThreads(db, planId),
    since ? changesSince(db, planId, user.userId, since) : Promise.resolve(null),
    listPlanSuggestions(db, planId),
  ]);
  // Suggested words, by the document they are in (the proposal text or a commitment's description).
  const suggestionsByDocument: Record<string, SuggestionView[]> = {};
  for (const s of suggestionRows) {
    (suggestionsByDocument[s.document_id] ??= []).push({
      id: s.id,
      quote: s.quote,
      replacement: s.replacement,
      note: s.note,
      status: s.status,
      createdAt: s.created_at,
      decidedAt: s.decided_at,
      authorName: s.author_name,
      authorOrganisationName: s.author_organisation_name,
      decidedByName: s.decided_by_name,
      decidedByOrganisationName: s.decided_by_organisation_name,
      canWithdraw: canWithdrawSuggestion(actor, s),
    });
  }
  const [anchors, agreement] = await Promise.all([
    anchorStates(context.app.sync, threadData.threads),
    sectionAgreementForProposal(context, planId, actor, role, contents.commitments, contents.rows),
  ]);

  const threads = threadData.threads.map((t) => {
    const current = anchors.get(t.id) ?? null;
    return {
      id: t.id,
      documentId: t.document_id,
      quote: t.quote,
      status: t.status,
      detached: current === null,
      currentText: current,
      createdByName: t.created_by_name,
      createdByOrganisationName: t.created_by_organisation_name,
      createdAt: t.created_at,
      resolvedByName: t.resolved_by_name,
      resolvedAt: t.resolved_at,
      canResolve: canResolveThread(actor, role, t),
      canReply: canReply(role, t),
      comments: threadData.comments
        .filter((c) => c.thread_id === t.id)
        .map((c) => {
          const hidden = c.hidden_at !== null;
          const readable = !hidden || canReadHiddenComment(actor, role, c);
          return {
            id: c.id,
            authorName: c.author_name,
            authorOrganisationName: c.author_organisation_name,
            mine: c.author_user_id === user.userId,
            body: c.deleted_at ? "" : readable ? c.body : null,
            createdAt: c.created_at,
            editedAt: c.edited_at,
            deleted: c.deleted_at !== null,
            hidden: hidden ? { byName: c.hidden_by_name, reason: c.hidden_reason ?? "", at: c.hidden_at } : null,
            mentions: threadData.mentions.filter((m) => m.comment_id === c.id).map((m) => m.name),
            canEdit: canEditComment(actor, role, c),
            canDelete: canDeleteComment(actor, role, c),
            canHide: canModerateComments(role) && !hidden && c.deleted_at === null,
            canUnhide: canModerateComments(role) && hidden,
          };
        }),
    };
  });

  const orgName = new Map(contents.organisations.map((o) => [o.id, o.name]));
  const partnerIds = contents.grants.filter((g) => g.organisation_id && g.role === "editor").map((g) => g.organisation_id!);
  const partners = contents.organisations.filter((o) => partnerIds.includes(o.id)).map((o) => ({ id: o.id, name: o.name }));
  const commenting = contents.organisations
    .filter((o) => contents.grants.some((g) => g.organisation_id === o.id && g.role === "commenter"))
    .map((o) => o.name);
  const taking = new Set(contents.grants.map((g) => g.organisation_id).filter(Boolean));

  const commitments = contents.commitments.map((c) => {
    const rows = contents.rows.filter((r) => r.action_id === c.id);
    const requests = contents.requests.filter((r) => r.action_id === c.id);
    const columnIds = [...new Set([...rows, ...requests].map((r) => r.organisation_id))].sort((a, b) =>
      (orgName.get(a) ?? a).localeCompare(orgName.get(b) ?? b),
    );
    return {
      id: c.id,
      title: c.title,
      documentId: c.document_id,
      plainText: c.plain_text,
      columns: columnIds.map((id) => ({ id, name: orgName.get(id) ?? id })),
      cells: STAGES.map((stage) => ({
        stage,
        byOrganisation: columnIds.map((organisationId) => {
          const row = rows.find((r) => r.stage === stage && r.organisation_id === organisationId) ?? null;
          const request = requests.find((r) => r.stage === stage && r.organisation_id === organisationId) ?? null;
          return {
            organisationId,
            row: row && {
              level: row.level,
              commitment: row.commitment,
              reviewDate: row.review_date,
              agreedAt: row.agreed_at,
              agreedByName: row.agreed_by_name,
              canRemove: canRemovePowerSharingRow(actor, role, row),
            },
            request: request && {
              level: request.level,
              commitment: request.commitment,
              reviewDate: request.review_date,
              requestedByName: request.requested_by_name,
              requestedByOrganisationName: request.requested_by_organisation_name,
              canRespond: canRespondToPowerSharing(actor, role, request),
              canWithdraw: canWithdrawPowerSharingRequest(actor, role, request),
            },
          };
        }),
      })),
      history: contents.history.filter((h) => h.action_id === c.id),
    };
  });

  // Texts the editor cannot read show a notice instead of an editor; the rest of the page renders.
  const unreadable = await unreadableDocuments(context.app.sync, [
    ...(contents.overview ? [contents.overview.id] : []),
    ...commitments.map((c) => c.documentId),
  ]);
  return {
    unreadable: [...unreadable],
    plan: { id: plan.id, title: plan.title, summary: plan.summary, status: plan.status },
    role,
    me: {
      id: user.userId,
      name: user.name,
      organisationId: user.organisationId,
      organisationName: user.organisationName,
      colour: presenceColour(user.userId),
    },
    permissions: {
      editText: can(role, "plan:edit-text"),
      comment: canStartThread(role),
      moderate: canModerateComments(role),
      createCommitment: can(role, "action:create"),
      invite: canInviteCommenters(role),
      powerSharing: powerSharingChange(actor, role, user.organisationId) !== "refused",
      suggest: canSuggest(role),
      decideSuggestions: canDecideSuggestion(role),
    },
    suggestionsByDocument,
    overview: contents.overview ?? null,
    recommendations: contents.recommendations,
    commitments,
    threads,
    partners,
    commenting,
    invitable: contents.organisations.filter((o) => !taking.has(o.id)).map((o) => ({ id: o.id, name: o.name, sector: o.sector })),
    mentionable: contents.organisations.map((o) => ({ id: o.id, name: o.name, shortName: o.short_name })),
    levels: LEVELS,
    stages: STAGES,
    changes: since ? { since, items: changes ?? [] } : null,
    agreement,
  };
}

export type ProposalPageData = Awaited<ReturnType<typeof loadProposalPage>>;
