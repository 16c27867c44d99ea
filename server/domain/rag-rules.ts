/**
 * The partnership's RAG rules: rows, not code. A facilitator changes a threshold here and every
 * status is computed with it from the next page load; each change is audited with before and after.
 */
import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { DB } from "../../db/connection";
import { inTransaction, nowIso } from "../../db/connection";
import type { RagRuleKind } from "../../db/schema";
import { findRagRule, insertRagRule, lastRagRulePosition, updateRagRule } from "../../db/queries/rag-rules";
import { describeRule } from "../accountability/rag";
import { canEditRagRules, type Actor } from "../policy";
import { audit } from "./admin";
import { DomainError } from "./errors";

export const RULE_KINDS: { kind: RagRuleKind; label: string; needs: ("days" | "since_days" | "report_status")[] }[] = [
  { kind: "milestone_overdue", label: "A milestone is overdue by more than N days", needs: ["days"] },
  { kind: "owner_reports", label: "The owner's latest update reports a status", needs: ["report_status"] },
  {
    kind: "due_soon_without_update",
    label: "A milestone is due within N days and there has been no update in the last M days",
    needs: ["days", "since_days"],
  },
  { kind: "no_recent_update", label: "No update for more than N days", needs: ["days"] },
  { kind: "no_lead", label: "No partner has accepted the lead", needs: [] },
];

const Days = (what: string) =>
  z.coerce
    .number({ message: `Enter ${what} as a whole number of days.` })
    .int(`Enter ${what} as a whole number of days.`)
    .min(0, `${what[0].toUpperCase()}${what.slice(1)} cannot be negative.`)
    .max(3650, `Keep ${what} under 10 years (3,650 days).`);

export const RuleInput = z
  .object({
    colour: z.enum(["red", "amber"], { message: "Choose red or amber." }),
    kind: z.enum(["milestone_overdue", "owner_reports", "due_soon_without_update", "no_recent_update", "no_lead"], {
      message: "Choose what the rule looks at.",
    }),
    days: z.union([z.literal("").transform(() => null), Days("the number of days")]).nullable().default(null),
    sinceDays: z.union([z.literal("").transform(() => null), Days("the days since the last update")]).nullable().default(null),
    reportStatus: z
      .union([z.literal("").transform(() => null), z.enum(["on_track", "at_risk", "off_track"])])
      .nullable()
      .default(null),
    enabled: z.boolean(),
  })
  .transform((v, ctx) => {
    const needs = RULE_KINDS.find((k) => k.kind === v.kind)!.needs;
    if (needs.includes("days") && v.days === null) {
      ctx.addIssue({ code: "custom", message: "This rule needs a number of days." });
    }
    if (needs.includes("since_days") && v.sinceDays === null) {
      ctx.addIssue({ code: "custom", message: "This rule needs the number of days since the last update." });
    }
    if (needs.includes("report_status") && v.reportStatus === null) {
      ctx.addIssue({ code: "custom", message: "Choose which reported status triggers this rule." });
    }
    return {
      colour: v.colour,
      kind: v.kind,
      days: needs.includes("days") ? v.days : null,
      since_days: needs.includes("since_days") ? v.sinceDays : null,
      report_status: needs.includes("report_status") ? v.reportStatus : null,
      enabled: v.enabled ? 1 : 0,
    };
  });
export type RuleInput = z.infer<typeof RuleInput>;

function requireEditor(actor: Actor) {
  if (!canEditRagRules(actor)) {
    throw new DomainError(403, "Only a partnership facilitator can change the RAG rules. Ask your facilitator.");
  }
}


export async function updateRule(db: DB, actor: Actor, ruleId: string, input: RuleInput): Promise<string> {
  requireEditor(actor);
  return inTransaction(db, async (trx) => {
    const before = await findRagRule(trx, ruleId);
    if (!before) throw new DomainError(404, "That rule no longer exists. Reload the page.");
    await updateRagRule(trx, ruleId, { ...input, updated_by: actor.userId, updated_at: nowIso() });
    const after = { ...before, ...input };
    await audit(trx, actor, "rag_rule.changed", ruleId, {
      from: describeRule(before) + (before.enabled ? "" : " (off)"),
      to: describeRule(after) + (after.enabled ? "" : " (off)"),
    });
    return `Saved: ${describeRule(after)}${after.enabled ? "" : " (switched off)"}.`;
  });
}

export async function addRule(db: DB, actor: Actor, input: RuleInput): Promise<string> {
  requireEditor(actor);
  const id = `rule-${randomUUID()}`;
  await inTransaction(db, async (trx) => {
    const last = await lastRagRulePosition(trx);
    await insertRagRule(trx, { id, position: last + 1, ...input, updated_by: actor.userId, updated_at: nowIso() });
    await audit(trx, actor, "rag_rule.added", id, { to: describeRule(input) });
  });
  return `Added: ${describeRule(input)}.`;
}
