import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { listOrganisations, listPlanPriorities, planPeriod } from "../../db/queries/plan-cycle";
import { organisationGrantsOfPlan } from "../../db/queries/plan-grants";
import { carriedOwners, NextPlanInput, startNextPlan, unfinishedActions } from "../../server/domain/plan-cycle";
import { canCreatePlan } from "../../server/policy";
import { FieldError, invalid, ParticipantsTable, PrioritiesEditor, type PriorityRowValue } from "~/components/plan-cycle";
import { StatusMessage } from "~/components/StatusMessage";
import { actorOf, requireUser } from "~/utils/auth.server";
import { requirePlanAccess } from "~/utils/plan-access.server";
import { groupingOptions } from "~/utils/plan-cycle.server";
import { fieldErrors, filledRows, participantRoles, priorityRows, type PriorityRow } from "~/utils/plan-form.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Start the next plan from ${data?.previous.title ?? "this plan"} – Co-design Workspace` }];

/** The same day a year on (29 February becomes 28 February). */
function yearOn(date: string | null): string {
  if (!date) return "";
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const next = new Date(Date.UTC(y + 1, m - 1, m === 2 && d === 29 ? 28 : d));
  return next.toISOString().slice(0, 10);
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const planId = params.planId ?? "";
  const { actor, plan } = await requirePlanAccess(request, context, planId);
  if (!canCreatePlan(actor)) throw new Response("Only a facilitator or an administrator can start the next plan.", { status: 403 });
  if (plan.kind !== "action_plan") throw new Response("Only action plans have a next plan.", { status: 404 });
  const { db } = context.app;
  const [facts, priorities, actions, organisations, grants, groupings] = await Promise.all([
    planPeriod(db, planId),
    listPlanPriorities(db, planId),
    unfinishedActions(db, planId),
    listOrganisations(db),
    organisationGrantsOfPlan(db, planId),
    groupingOptions(db),
  ]);
  return {
    previous: { id: plan.id, title: plan.title },
    defaults: { periodStart: yearOn(facts.period_start), periodEnd: yearOn(facts.period_end) },
    priorities: priorities
      .filter((p) => !p.retired_at)
      .map((p) => ({ key: p.id, code: p.code, title: p.title, description: p.description, grouping: p.theme_name ?? "", fromPriorityId: p.id })),
    actions: actions.map((a) => ({
      id: a.id,
      title: a.title,
      code: a.priority_code,
      milestonesOpen: a.milestonesOpen,
      // A partner asked and not yet answering is not yet lead or supporting (a lead hand-over shows both).
      owners: a.owners.map((o) => {
        const asked = `asked to ${o.role === "lead" ? "lead" : "support"}, pending`;
        if (o.status !== "pending") return `${o.name} (${o.role === "lead" ? "lead" : "supporting"})`;
        return o.heldRole ? `${o.name} (${o.heldRole === "lead" ? "lead" : "supporting"}; ${asked})` : `${o.name} (${asked})`;
      }),
      // What carrying forward does not take along, said before anyone chooses.
      notCarried: carriedOwners(a.owners).notCarried.map((o) =>
        o.askedAs
          ? `${o.name}'s request to ${o.role === "lead" ? "take over as lead" : "support instead"} is not carried: ${o.name} is asked to ${o.askedAs === "lead" ? "lead" : "support"} the new plan's action, as it does now. Ask again there.`
          : `${o.name}'s request to take over as lead is not carried: the current lead is asked to lead the new plan's action. Ask ${o.name} again there.`,
      ),
    })),
    organisations,
    roles: Object.fromEntries(grants.map((g) => [g.organisation_id!, g.role])),
    groupings,
  };
}

type Result = { ok: false; error: string; fields: Record<string, string>; rows: PriorityRow[] | null; attempt: number; values: Record<string, string> };

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const planId = params.planId ?? "";
  const form = await request.formData();
  const values: Record<string, string> = {};
  for (const k of ["title", "summary", "periodStart", "periodEnd"]) values[k] = typeof form.get(k) === "string" ? String(form.get(k)) : "";
  const rows = filledRows(priorityRows(form));
  if (form.get("intent") === "more-rows") {
    return data<Result>({ ok: false, error: "", fields: {}, rows: [...rows, { code: "", title: "", description: "", grouping: "", fromPriorityId: "" }], attempt: Date.now(), values });
  }
  const decisions: Record<string, string> = {};
  for (const [k, v] of form.entries()) if (k.startsWith("carry:") && typeof v === "string") decisions[k.slice(6)] = v;
  try {
    const input = NextPlanInput.parse({ plan: { ...values, priorities: rows, participants: participantRoles(form) }, decisions });
    const made = await startNextPlan(context.app.db, context.app.sync, actorOf(user), planId, input);
    return redirect(`/plans/${encodeURIComponent(made.planId)}?started=1`);
  } catch (err) {
    const e = fieldErrors(err);
    if (!e) throw err;
    return data<Result>({ ok: false, error: e.form, fields: e.fields, rows, attempt: Date.now(), values }, { status: e.status });
  }
}

export default function NextPlan() {
  const d = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const errors = result?.fields ?? {};
  const v = result?.values;
  const rows: PriorityRowValue[] = result?.rows ? result.rows.map((r, i) => ({ ...r, key: `r${result.attempt}-${i}` })) : d.priorities;
  return (
    <div className="stack-lg narrow-wide">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/plans">All plans</Link> <span aria-hidden="true">›</span> <Link to={`/plans/${d.previous.id}`}>{d.previous.title}</Link>{" "}
        <span aria-hidden="true">›</span> Start the next plan
      </nav>
      <h1>
        Start the next plan
        <span className="h1-sub">from {d.previous.title}</span>
      </h1>
      {result?.error ? <StatusMessage result={{ ok: false, error: result.error }} /> : null}
      <Form method="post" className="stack" noValidate>
        <div className="field">
          <label htmlFor="title">Title of the next plan</label>
          <input id="title" name="title" defaultValue={v?.title ?? ""} maxLength={160} {...invalid("title-error", errors.title)} />
          <FieldError id="title-error" message={errors.title} />
        </div>
        <div className="field">
          <label htmlFor="summary">Summary (optional)</label>
          <textarea id="summary" name="summary" rows={2} maxLength={2000} defaultValue={v?.summary ?? ""} />
        </div>
        <fieldset className="stack">
          <legend>The period it covers</legend>
          <div className="field">
            <label htmlFor="periodStart">First day</label>
            <input id="periodStart" name="periodStart" type="date" defaultValue={v?.periodStart ?? d.defaults.periodStart} {...invalid("periodStart-error", errors.periodStart)} />
            <FieldError id="periodStart-error" message={errors.periodStart} />
          </div>
          <div className="field">
            <label htmlFor="periodEnd">Last day</label>
            <input id="periodEnd" name="periodEnd" type="date" defaultValue={v?.periodEnd ?? d.defaults.periodEnd} {...invalid("periodEnd-error", errors.periodEnd)} />
            <FieldError id="periodEnd-error" message={errors.periodEnd} />
          </div>
        </fieldset>
        <PrioritiesEditor key={result?.attempt ?? "first"} initial={rows} errors={errors} groupings={d.groupings} />

        <fieldset className="stack">
          <legend>Unfinished actions: carry forward or leave behind</legend>
          <p className="hint">
            A carried action keeps its text, links, recommendations and unfinished milestones, and links both ways to this one. Its
            partners are asked again in the new plan: each organisation accepts for itself.
          </p>
          {d.actions.length === 0 ? (
            <p className="muted">Every action of this plan is finished: there is nothing to carry forward.</p>
          ) : (
            <ul className="request-list">
              {d.actions.map((a) => (
                <li key={a.id} className="request" data-testid="carry-action">
                  <fieldset className="carry-choice">
                    <legend>
                      <strong>{a.code ? `${a.code}: ` : ""}{a.title}</strong>{" "}
                      <span className="muted">
                        ({a.milestonesOpen} unfinished milestone{a.milestonesOpen === 1 ? "" : "s"}
                        {a.owners.length ? `; ${a.owners.join(", ")}` : ""})
                      </span>
                    </legend>
                    {a.notCarried.map((note) => (
                      <p key={note} className="hint" data-testid="not-carried">
                        {note}
                      </p>
                    ))}
                    <span>
                      <input type="radio" id={`carry-${a.id}`} name={`carry:${a.id}`} value="carry" defaultChecked />
                      <label htmlFor={`carry-${a.id}`}>Carry forward</label>
                    </span>
                    <span>
                      <input type="radio" id={`leave-${a.id}`} name={`carry:${a.id}`} value="leave" />
                      <label htmlFor={`leave-${a.id}`}>Leave behind</label>
                    </span>
                  </fieldset>
                </li>
              ))}
            </ul>
          )}
        </fieldset>
        <ParticipantsTable organisations={d.organisations} roles={d.roles} error={errors.participants} />
        <button className="button" name="intent" value="create" disabled={busy}>
          Start the next plan
        </button>
      </Form>
    </div>
  );
}
