import { discardQueuedNotificationMail } from "../db/queries/mail-outbox";
import type { Kysely } from "kysely";
import { inTransaction, nowIso } from "../db/connection";
import { anyOrganisation, findUserIdByEmail, insertOrganisationIfAbsent, insertUser } from "../db/queries/accounts";
import { insertActionOwner, insertOwnershipHistory } from "../db/queries/action-owners";
import { insertAction } from "../db/queries/actions";
import { insertGrantIfAbsent } from "../db/queries/plan-grants";
import { insertPlanIfAbsent } from "../db/queries/plans";
import { firstPlanPriorities, insertPlanPriorityIfAbsent, insertPriorityIfAbsent } from "../db/queries/priorities";
import { insertRecommendationIfAbsent, linkPlanRecommendationIfAbsent } from "../db/queries/recommendations";
import { insertDepartmentIfAbsent, insertStrategyIfAbsent, insertThemeIfAbsent } from "../db/queries/strategies";
import { insertWorkshopIfAbsent, insertWorkshopInvitationIfAbsent, insertWorkshopItem } from "../db/queries/workshops";
import type { Database } from "../db/schema";
import { hashPassword } from "../server/auth/passwords";
import { createDocument } from "../server/domain/documents";
import { seedAccountability } from "./accountability";
import { seedDelivery } from "./delivery";
import * as data from "./data";
import { seedEngagement } from "./engagement";
import { seedNextPlan } from "./next-plan";
import { workshops as seedWorkshops } from "./data/workshops";

/**
 * Loads the partnership from the source documents. Every row has a stable id and is inserted
 * with "on conflict do nothing", so running it twice changes nothing and never overwrites
 * what people have since edited. Returns true when it found an empty database.
 */
export async function seedDatabase(db: Kysely<Database>): Promise<boolean> {
  const existing = await anyOrganisation(db);
  const now = nowIso();

  for (const o of data.organisations) {
    await insertOrganisationIfAbsent(db, { id: o.id, name: o.name, short_name: o.shortName, sector: o.sector, description: o.description, created_at: now });
  }
  const s = data.strategy;
  await insertStrategyIfAbsent(db, { id: s.id, title: s.title, vision: s.vision, summary: s.summary, source: s.source });
  for (const [i, t] of data.themes.entries()) {
    await insertThemeIfAbsent(db, { id: t.id, strategy_id: s.id, name: t.name, description: t.description, position: i + 1 });
  }
  for (const d of data.departments) {
    await insertDepartmentIfAbsent(db, { id: d.id, name: d.name, description: d.description, lead_organisation_id: d.leadOrganisationId });
  }
  for (const [i, p] of data.priorities.entries()) {
    await insertPriorityIfAbsent(db, {
      id: p.id,
      strategy_id: s.id,
      theme_id: p.themeId,
      department_id: p.departmentId,
      code: p.code,
      title: p.title,
      description: p.description,
      position: i + 1,
    });
  }
  for (const r of data.recommendations) {
    await insertRecommendationIfAbsent(db, r);
  }

  const userIds = new Map<string, number>();
  for (const u of data.users) {
    const found = await findUserIdByEmail(db, u.email);
    if (found !== null) {
      userIds.set(u.email, found);
      continue;
    }
    const id = await insertUser(db, {
      email: u.email,
      name: u.name,
      organisation_id: u.organisationId,
      password_hash: await hashPassword(u.password),
      system_role: u.systemRole,
      job_title: u.jobTitle,
      created_at: now,
    });
    userIds.set(u.email, id);
  }

  const priorities = new Map(data.priorities.map((p) => [p.id, p]));
  for (const plan of data.plans) {
    await inTransaction(db, async (trx) => {
      await insertPlanIfAbsent(trx, { id: plan.id, title: plan.title, summary: plan.summary, strategy_id: s.id, created_by: null, created_at: now });
      for (const recommendationId of plan.recommendationIds) {
        await linkPlanRecommendationIfAbsent(trx, plan.id, recommendationId);
      }
      for (const g of plan.grants) {
        const userId = g.userEmail ? userIds.get(g.userEmail) : undefined;
        if (g.userEmail && userId === undefined) throw new Error(`Seed grant names unknown user ${g.userEmail}`);
        await insertGrantIfAbsent(trx, {
          plan_id: plan.id,
          organisation_id: g.organisationId ?? null,
          user_id: userId ?? null,
          role: g.role,
          granted_by: null,
          created_at: now,
        });
      }
      await createDocument(trx, {
        id: `doc-${plan.id}-overview`,
        planId: plan.id,
        kind: "plan_overview",
        paragraphs: plan.overview,
        userId: null,
        organisationId: null,
      });

      let position = 0;
      for (const [pi, priorityId] of plan.priorityIds.entries()) {
        const priority = priorities.get(priorityId);
        if (!priority) throw new Error(`Seed plan ${plan.id} names unknown priority ${priorityId}`);
        await insertPlanPriorityIfAbsent(trx, { plan_id: plan.id, priority_id: priorityId, position: pi + 1 });
        for (const [di, d] of priority.deliverables.entries()) {
          position += 1;
          const actionId = `act-${priorityId}-${di + 1}`;
          const documentId = `doc-${actionId}`;
          const created = await createDocument(trx, {
            id: documentId,
            planId: plan.id,
            kind: "action_description",
            paragraphs: [d.description],
            userId: null,
            organisationId: null,
          });
          if (!created) continue;
          await insertAction(trx, {
            id: actionId,
            plan_id: plan.id,
            priority_id: priorityId,
            document_id: documentId,
            title: d.title,
            due_label: d.quarter ? `${d.quarter} 2022-23` : "",
            position,
            created_by: null,
            created_at: now,
            updated_at: now,
          });
          // The Corporate Plan names these leads already: seeded as accepted, with history saying so.
          const owners = [
            { organisationId: d.leadOrganisationId, role: "lead" as const },
            ...d.supportingOrganisationIds.map((organisationId) => ({ organisationId, role: "support" as const })),
          ];
          for (const o of owners) {
            await insertActionOwner(trx, {
              action_id: actionId,
              organisation_id: o.organisationId,
              role: o.role,
              status: "accepted",
              requested_by: null,
              requested_at: now,
              responded_by: null,
              responded_at: now,
            });
            await insertOwnershipHistory(trx, {
              action_id: actionId,
              organisation_id: o.organisationId,
              event: "accepted",
              from_role: null,
              from_status: null,
              to_role: o.role,
              to_status: "accepted",
              actor_user_id: null,
              actor_organisation_id: null,
              note: "Recorded from the Corporate Plan 2022-23",
              created_at: now,
            });
          }
        }
      }
    });
  }
  await seedEngagement(db, userIds, now);
  await seedSampleWorkshops(db, userIds);
  await seedAccountability(db);
  await seedDelivery(db);
  await seedNextPlan(db, userIds);
  // Loading the demo runs real domain operations (workshop invitations, requests), which queue
  // notification emails; the in-app notifications stay, the emails go: nobody asked for them.
  if (!existing) await discardQueuedNotificationMail(db);
  return !existing;
}

/** The sample workshop (agenda from its plan's priorities); same ids every time, never overwritten. */
async function seedSampleWorkshops(db: Kysely<Database>, userIds: Map<string, number>): Promise<void> {
  const now = nowIso();
  for (const w of seedWorkshops) {
    await inTransaction(db, async (trx) => {
      const inserted = await insertWorkshopIfAbsent(trx, {
        id: w.id,
        plan_id: w.planId,
        title: w.title,
        scheduled_for: w.scheduledFor,
        guest_code: w.guestCode,
        current_item_id: null,
        timer_started_at: null,
        locked_by: null,
        locked_at: null,
        created_by: userIds.get(w.facilitatorEmail) ?? null,
        created_at: now,
        started_at: null,
        closed_at: null,
        closed_by: null,
      });
      if (!inserted) return;
      for (const organisationId of w.invitedOrganisationIds) {
        await insertWorkshopInvitationIfAbsent(trx, { workshop_id: w.id, organisation_id: organisationId, invited_by: null, created_at: now });
      }
      const priorities = await firstPlanPriorities(trx, w.planId, w.priorityCount);
      const items = [
        { kind: "general" as const, priority_id: null, title: w.opening.title, minutes: w.opening.minutes },
        ...priorities.map((p) => ({ kind: "priority" as const, priority_id: p.id, title: p.title, minutes: w.priorityMinutes })),
        { kind: "general" as const, priority_id: null, title: w.closing.title, minutes: w.closing.minutes },
      ];
      for (const [i, item] of items.entries()) {
        await insertWorkshopItem(trx, {
          workshop_id: w.id,
          position: i + 1,
          title: item.title.slice(0, 120),
          kind: item.kind,
          priority_id: item.priority_id,
          action_id: null,
          document_id: null,
          time_box_minutes: item.minutes,
          created_at: now,
        });
      }
    });
  }
}
