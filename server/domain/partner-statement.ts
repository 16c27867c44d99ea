/**
 * Everything a partner's one-page statement says about one organisation, across the plans the
 * reader may see: its actions with their status and lateness as at a date, whether its sign-off
 * counts for each action's current words, and the power-sharing levels it agreed on engagement
 * proposals with their agreement.
 */
import type { DB } from "../../db/connection";
import { actionsForOrganisation } from "../../db/queries/plans";
import { listPlansForActor } from "./plan-visibility";
import { subjectsByIds } from "../../db/queries/agreement-subjects";
import { organisationById, powerSharingOfOrganisation } from "../../db/queries/partner-statement";
import { formatDate } from "../accountability/dates";
import { loadDeliveryForActions } from "../accountability/delivery";
import type { PartnerStatementData, StatementSection } from "../accountability/partner-statement";
import type { Actor } from "../policy";
import type { SyncServer } from "../sync";
import { subjectAgreements } from "./agreement-summary";
import { DomainError } from "./errors";

export async function loadPartnerStatement(
  db: DB,
  sync: Pick<SyncServer, "readDocument">,
  actor: Actor,
  input: { organisationId: string; asAt: string; preparedBy: string; partnership: string },
): Promise<PartnerStatementData> {
  const org = await organisationById(db, input.organisationId);
  if (!org) throw new DomainError(404, "There is no such organisation in the workspace.");
  const plans = await listPlansForActor(db, actor);
  const planIds = plans.map((p) => p.id);
  const [owned, levels] = await Promise.all([actionsForOrganisation(db, org.id, planIds), powerSharingOfOrganisation(db, org.id, planIds)]);
  const accepted = owned.filter((o) => o.status === "accepted");
  const { actions } = await loadDeliveryForActions(db, accepted.map((o) => o.id), input.asAt);
  const planTitle = new Map(plans.map((p) => [p.id, p.title]));

  // Agreement, plan by plan (the verdict needs each plan's sign-offs).
  const signedBy = new Map<string, { signed: boolean; agreed: boolean }>();
  const byPlan = new Map<string, { id: string; title: string; document_id: string }[]>();
  const docs = await subjectsByIds(db, accepted.map((a) => a.id));
  for (const d of docs) byPlan.set(d.plan_id, [...(byPlan.get(d.plan_id) ?? []), d]);
  for (const [planId, subjects] of byPlan) {
    for (const [id, a] of await subjectAgreements(db, sync, "action", planId, subjects)) {
      signedBy.set(id, { signed: a.signed.includes(org.id), agreed: a.status === "agreed" });
    }
  }
  const sectionsByPlan = new Map<string, { id: string; title: string; document_id: string }[]>();
  for (const l of levels) {
    const list = sectionsByPlan.get(l.plan_id) ?? [];
    if (!list.some((s) => s.id === l.action_id)) list.push({ id: l.action_id, title: l.section_title, document_id: l.document_id });
    sectionsByPlan.set(l.plan_id, list);
  }
  const sections: StatementSection[] = [];
  for (const [planId, subjects] of sectionsByPlan) {
    const agreements = await subjectAgreements(db, sync, "proposal_section", planId, subjects);
    for (const s of subjects) {
      const a = agreements.get(s.id)!;
      sections.push({
        planTitle: planTitle.get(planId) ?? planId,
        title: s.title,
        levels: levels
          .filter((l) => l.action_id === s.id)
          .map((l) => ({ stage: l.stage, level: l.level, commitment: l.commitment, reviewDate: l.review_date })),
        signed: a.signed.includes(org.id),
        agreed: a.status === "agreed",
      });
    }
  }
  return {
    organisationName: org.name,
    partnership: input.partnership,
    asAt: input.asAt,
    preparedBy: input.preparedBy,
    actions: actions.map((a) => ({
      id: a.id,
      title: a.title,
      planTitle: planTitle.get(a.planId) ?? "",
      role: accepted.find((o) => o.id === a.id)!.role,
      rag: a.rag.status,
      late: a.milestones.filter((m) => m.state === "overdue").map((m) => `${m.title} (due ${formatDate(m.dueDate)})`),
      signed: signedBy.get(a.id)?.signed ?? false,
      agreed: signedBy.get(a.id)?.agreed ?? false,
    })),
    sections,
  };
}
