/**
 * A partnership makes its own plans: a plan serves a strategy (an existing one, or a new one with
 * its vision), covers a period, has priorities (optionally grouped, e.g. the 3Rs or a department)
 * and partners taking part as editors, commenters or viewers. Each change is written with its
 * audit row (who, organisation, when, from what to what) in one transaction.
 */
import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { DB } from "../../db/connection";
import { inTransaction, nowIso } from "../../db/connection";
import {
  findStrategy,
  findThemeByName,
  idTaken,
  listPlanPriorities,
  maxThemePosition,
} from "../../db/queries/plan-cycle";
import { organisationsByIds } from "../../db/queries/accounts";
import { insertGrant } from "../../db/queries/plan-grants";
import { findPlanStrategy, insertPlan as insertPlanRow } from "../../db/queries/plans";
import { insertPlanPriority, updatePlanPriority } from "../../db/queries/priorities";
import { insertPriority as insertPriorityRow, insertStrategy, insertTheme, updatePriority } from "../../db/queries/strategies";
import { isIsoDate } from "../accountability/dates";
import { canCreatePlan, type Actor } from "../policy";
import { audit } from "./admin";
import { createDocument } from "./documents";
import { DomainError } from "./errors";
import { refuseIfArchived } from "./plan-access";

const IsoDate = (what: string) =>
  z
    .string({ required_error: `Enter ${what}.` })
    .trim()
    .refine(isIsoDate, `Enter ${what} as a real date, for example 2026-04-01.`);

export const PriorityInput = z.object({
  code: z
    .string()
    .trim()
    .min(1, "Give each priority a short code, for example OPS-1.")
    .max(20, "Keep the priority code under 20 characters."),
  title: z.string().trim().min(3, "Give each priority a title of at least 3 characters.").max(160, "Keep the priority title under 160 characters."),
  description: z.string().trim().max(2000, "Keep the priority description under 2,000 characters.").default(""),
  grouping: z.string().trim().max(80, "Keep the grouping under 80 characters.").default(""),
});
export type PriorityInput = z.infer<typeof PriorityInput>;

export const PARTICIPANT_ROLES = ["editor", "commenter", "viewer"] as const;

export const PlanInput = z
  .object({
    title: z.string().trim().min(3, "Give the plan a title of at least 3 characters.").max(160, "Keep the plan title under 160 characters."),
    summary: z.string().trim().max(2000, "Keep the summary under 2,000 characters.").default(""),
    strategyId: z.string().trim().max(200).default(""),
    newStrategyTitle: z.string().trim().max(160, "Keep the strategy's title under 160 characters.").default(""),
    newStrategyVision: z.string().trim().max(2000, "Keep the vision under 2,000 characters.").default(""),
    periodStart: IsoDate("the first day of the period"),
    periodEnd: IsoDate("the last day of the period"),
    priorities: z.array(PriorityInput).min(1, "Add at least one priority: actions are added under a priority.").max(60),
    participants: z
      .array(z.object({ organisationId: z.string().min(1).max(200), role: z.enum(PARTICIPANT_ROLES) }))
      .max(200)
      .default([]),
  })
  .superRefine((v, ctx) => {
    if (isIsoDate(v.periodStart) && isIsoDate(v.periodEnd) && v.periodEnd <= v.periodStart) {
      ctx.addIssue({ code: "custom", path: ["periodEnd"], message: "The period must end after it starts." });
    }
    if (!v.strategyId && v.newStrategyTitle.length < 3) {
      ctx.addIssue({ code: "custom", path: ["strategyId"], message: "Choose the strategy this plan serves, or name a new one (at least 3 characters)." });
    }
    if (!v.strategyId && v.newStrategyTitle && v.newStrategyVision.length < 3) {
      ctx.addIssue({ code: "custom", path: ["newStrategyVision"], message: "Write the new strategy's vision in a sentence." });
    }
    const codes = v.priorities.map((p) => p.code.toLowerCase());
    const dup = codes.find((c, i) => codes.indexOf(c) !== i);
    if (dup) ctx.addIssue({ code: "custom", path: ["priorities"], message: `Two priorities have the code “${dup.toUpperCase()}”: give each its own.` });
    const orgs = v.participants.map((p) => p.organisationId);
    if (new Set(orgs).size !== orgs.length) ctx.addIssue({ code: "custom", path: ["participants"], message: "Give each organisation one role." });
  });
export type PlanInput = z.infer<typeof PlanInput>;

export function slugify(text: string, max = 50): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "")
      .slice(0, max)
      .replace(/-$/, "") || "plan"
  );
}

async function freeId(db: DB, table: "plans" | "strategies" | "priorities" | "themes", base: string): Promise<string> {
  let id = base;
  for (let n = 2; await idTaken(db, table, id); n++) id = `${base}-${n}`;
  return id;
}

/** A grouping names a theme of the strategy (the 3Rs, a department…): found by name or made. */
async function themeFor(trx: DB, strategyId: string, grouping: string): Promise<string | null> {
  if (!grouping) return null;
  const found = await findThemeByName(trx, strategyId, grouping);
  if (found) return found.id;
  const id = await freeId(trx, "themes", `${strategyId}-${slugify(grouping, 30)}`);
  await insertTheme(trx, { id, strategy_id: strategyId, name: grouping, position: (await maxThemePosition(trx, strategyId)) + 1 });
  return id;
}

/** Each plan owns its priority rows, so renaming one never rewrites another plan's (or an archived plan's) record. */
export async function insertPriority(trx: DB, planId: string, strategyId: string, p: PriorityInput, position: number): Promise<string> {
  const id = await freeId(trx, "priorities", `${planId}-${slugify(p.code, 20)}`);
  await insertPriorityRow(trx, {
    id,
    strategy_id: strategyId,
    theme_id: await themeFor(trx, strategyId, p.grouping),
    department_id: null,
    code: p.code,
    title: p.title,
    description: p.description,
    position,
  });
  await insertPlanPriority(trx, { plan_id: planId, priority_id: id, position, retired_at: null });
  return id;
}

async function requireOrganisations(db: DB, ids: string[]) {
  if (ids.length === 0) return;
  const found = await organisationsByIds(db, ids);
  if (found.length !== new Set(ids).size) throw new DomainError(400, "Choose partner organisations from the list.");
}

/**
 * Creates the plan, its overview document, priorities and grants, in one transaction. Used for a
 * new plan and (with `previousPlanId`) for the next plan started from an earlier one.
 */
export async function createPlan(
  db: DB,
  actor: Actor,
  input: PlanInput,
  options: { previousPlanId?: string } = {},
): Promise<{ planId: string; priorityIds: string[] }> {
  if (!canCreatePlan(actor)) throw new DomainError(403, "Only a facilitator or an administrator can create plans.");
  if (input.strategyId && !(await findStrategy(db, input.strategyId))) {
    throw new DomainError(400, "Choose a strategy from the list, or name a new one.");
  }
  await requireOrganisations(db, input.participants.map((p) => p.organisationId));
  return inTransaction(db, (trx) => insertPlan(trx, actor, input, options));
}

/** The inserts of `createPlan`, inside the caller's transaction (the next plan adds its carried actions to the same one). */
export async function insertPlan(
  trx: DB,
  actor: Actor,
  input: PlanInput,
  options: { previousPlanId?: string } = {},
): Promise<{ planId: string; priorityIds: string[] }> {
  {
    const now = nowIso();
    let strategyId = input.strategyId;
    if (!strategyId) {
      strategyId = await freeId(trx, "strategies", slugify(input.newStrategyTitle));
      await insertStrategy(trx, { id: strategyId, title: input.newStrategyTitle, vision: input.newStrategyVision });
      await audit(trx, actor, "strategy.created", strategyId, { to: { title: input.newStrategyTitle, vision: input.newStrategyVision } });
    }
    const planId = await freeId(trx, "plans", slugify(`${input.title}`));
    await insertPlanRow(trx, {
      id: planId,
      kind: "action_plan",
      title: input.title,
      summary: input.summary,
      strategy_id: strategyId,
      created_by: actor.userId,
      created_at: now,
      period_start: input.periodStart,
      period_end: input.periodEnd,
      previous_plan_id: options.previousPlanId ?? null,
    });
    await createDocument(trx, {
      id: `doc-${randomUUID()}`,
      planId,
      kind: "plan_overview",
      paragraphs: input.summary ? input.summary.split(/\n{2,}/) : [],
      userId: actor.userId,
      organisationId: actor.organisationId,
    });
    const priorityIds: string[] = [];
    for (const [i, p] of input.priorities.entries()) priorityIds.push(await insertPriority(trx, planId, strategyId, p, i + 1));
    for (const g of input.participants) {
      await insertGrant(trx, { plan_id: planId, organisation_id: g.organisationId, user_id: null, role: g.role, granted_by: actor.userId, created_at: now });
    }
    await audit(trx, actor, "plan.created", planId, {
      from: options.previousPlanId ? { plan: options.previousPlanId } : null,
      to: {
        title: input.title,
        strategyId,
        period: [input.periodStart, input.periodEnd],
        priorities: input.priorities.map((p) => `${p.code} ${p.title}`),
        participants: input.participants,
      },
    });
    return { planId, priorityIds };
  }
}

// ---------------------------------------------------------------------------------------------
// Priorities later: add, rename, reorder, retire (and bring back)
// ---------------------------------------------------------------------------------------------

export const PriorityChange = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("add-priority"), priority: PriorityInput }),
  z.object({ intent: z.literal("rename-priority"), priorityId: z.string().min(1).max(200), priority: PriorityInput }),
  z.object({ intent: z.literal("move-priority"), priorityId: z.string().min(1).max(200), direction: z.enum(["up", "down"]) }),
  z.object({ intent: z.literal("retire-priority"), priorityId: z.string().min(1).max(200) }),
  z.object({ intent: z.literal("restore-priority"), priorityId: z.string().min(1).max(200) }),
]);
export type PriorityChange = z.infer<typeof PriorityChange>;

export async function changePriorities(db: DB, actor: Actor, planId: string, change: PriorityChange): Promise<string> {
  if (!canCreatePlan(actor)) throw new DomainError(403, "Only a facilitator or an administrator can change a plan's priorities.");
  const plan = await findPlanStrategy(db, planId);
  if (!plan) throw new DomainError(404, "There is no plan at this address.");
  await refuseIfArchived(db, planId);
  return inTransaction(db, async (trx) => {
    const list = await listPlanPriorities(trx, planId);
    const now = nowIso();
    if (change.intent === "add-priority") {
      const p = change.priority;
      if (list.some((x) => x.code.toLowerCase() === p.code.toLowerCase())) {
        throw new DomainError(409, `This plan already has a priority with the code “${p.code}”: give the new one its own.`);
      }
      const strategyId = plan.strategy_id ?? list[0]?.strategy_id;
      if (!strategyId) throw new DomainError(400, "This plan serves no strategy, so it cannot have priorities.");
      const id = await insertPriority(trx, planId, strategyId, p, Math.max(0, ...list.map((x) => x.position)) + 1);
      await audit(trx, actor, "plan.priority.added", planId, { priorityId: id, from: null, to: `${p.code} ${p.title}` });
      return `Added the priority ${p.code} “${p.title}”.`;
    }
    const current = list.find((x) => x.id === change.priorityId);
    if (!current) throw new DomainError(404, "That priority is not in this plan. Reload the page.");
    switch (change.intent) {
      case "rename-priority": {
        const p = change.priority;
        if (list.some((x) => x.id !== current.id && x.code.toLowerCase() === p.code.toLowerCase())) {
          throw new DomainError(409, `Another priority of this plan has the code “${p.code}”.`);
        }
        const from = { code: current.code, title: current.title, description: current.description, grouping: current.theme_name ?? "" };
        if (from.code === p.code && from.title === p.title && from.description === p.description && from.grouping === p.grouping) {
          throw new DomainError(409, "Nothing changed: the priority already reads like that.");
        }
        await updatePriority(trx, current.id, {
          code: p.code,
          title: p.title,
          description: p.description,
          theme_id: p.grouping === from.grouping ? current.theme_id : await themeFor(trx, current.strategy_id, p.grouping),
        });
        await audit(trx, actor, "plan.priority.renamed", planId, { priorityId: current.id, from, to: p });
        return `Priority ${p.code} now reads “${p.title}”.`;
      }
      case "move-priority": {
        const i = list.indexOf(current);
        const j = change.direction === "up" ? i - 1 : i + 1;
        if (j < 0 || j >= list.length) throw new DomainError(409, `“${current.title}” is already ${change.direction === "up" ? "first" : "last"}.`);
        const order = [...list];
        [order[i], order[j]] = [order[j]!, order[i]!];
        for (const [k, x] of order.entries()) {
          await updatePlanPriority(trx, planId, x.id, { position: k + 1 });
        }
        await audit(trx, actor, "plan.priority.moved", planId, { priorityId: current.id, from: i + 1, to: j + 1 });
        return `Moved ${current.code} ${change.direction} (now number ${j + 1}).`;
      }
      case "retire-priority":
      case "restore-priority": {
        const retire = change.intent === "retire-priority";
        if ((current.retired_at !== null) === retire) {
          throw new DomainError(409, retire ? `${current.code} is already retired.` : `${current.code} is not retired.`);
        }
        await updatePlanPriority(trx, planId, current.id, { retired_at: retire ? now : null });
        await audit(trx, actor, retire ? "plan.priority.retired" : "plan.priority.restored", planId, {
          priorityId: current.id,
          from: retire ? "active" : "retired",
          to: retire ? "retired" : "active",
        });
        return retire
          ? `Retired ${current.code} “${current.title}”: its actions stay visible and reportable until they are moved; no new actions go under it.`
          : `${current.code} “${current.title}” is active again.`;
      }
    }
  });
}
