import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { listOrganisations, listStrategies } from "../../db/queries/plan-cycle";
import { createPlan, PlanInput } from "../../server/domain/plan-setup";
import { canCreatePlan } from "../../server/policy";
import { blankRow, FieldError, invalid, ParticipantsTable, PrioritiesEditor, type PriorityRowValue } from "~/components/plan-cycle";
import { StatusMessage } from "~/components/StatusMessage";
import { actorOf, requireUser } from "~/utils/auth.server";
import { fieldErrors, filledRows, participantRoles, priorityRows, type PriorityRow } from "~/utils/plan-form.server";
import { groupingOptions } from "~/utils/plan-cycle.server";

export const meta: MetaFunction = () => [{ title: "New action plan – Co-design Workspace" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  if (!canCreatePlan(actorOf(user))) {
    throw new Response("Only a facilitator or an administrator can create action plans. Ask your partnership's facilitator.", { status: 403 });
  }
  const { db } = context.app;
  const [strategies, organisations, groupings] = await Promise.all([listStrategies(db), listOrganisations(db), groupingOptions(db)]);
  return { strategies, organisations, groupings, me: { organisationId: user.organisationId } };
}

type Values = Record<string, string>;
type Result = { ok: false; error: string; fields: Record<string, string>; values: Values; rows: PriorityRow[]; roles: Record<string, string>; attempt: number };

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const form = await request.formData();
  const values: Values = {};
  for (const k of ["title", "summary", "strategyId", "newStrategyTitle", "newStrategyVision", "periodStart", "periodEnd"]) {
    values[k] = typeof form.get(k) === "string" ? String(form.get(k)) : "";
  }
  const rows = filledRows(priorityRows(form));
  const participants = participantRoles(form);
  const roles = Object.fromEntries(participants.map((p) => [p.organisationId, p.role]));
  const answer = (r: Omit<Result, "values" | "rows" | "roles" | "attempt">, extraRow = false, status = 400) =>
    data<Result>({ ...r, values, rows: extraRow ? [...rows, { code: "", title: "", description: "", grouping: "", fromPriorityId: "" }] : rows, roles, attempt: Date.now() }, { status });
  // Without JavaScript, "Add a priority" posts the form to get one more row.
  if (form.get("intent") === "more-rows") return answer({ ok: false, error: "", fields: {} }, true, 200);
  try {
    const input = PlanInput.parse({ ...values, priorities: rows, participants });
    const { planId } = await createPlan(context.app.db, actorOf(user), input);
    return redirect(`/plans/${encodeURIComponent(planId)}?created=1`);
  } catch (err) {
    const e = fieldErrors(err);
    if (!e) throw err;
    return answer({ ok: false, error: e.form, fields: e.fields }, false, e.status);
  }
}

const SPARE_ROWS = 3;

export default function NewPlan() {
  const { strategies, organisations, groupings } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const v = result?.values ?? {};
  const errors = result?.fields ?? {};
  const initialRows: PriorityRowValue[] = result
    ? [...result.rows.map((r, i) => ({ ...r, key: `r${result.attempt}-${i}` })), ...(result.rows.length ? [] : [blankRow()])]
    : Array.from({ length: SPARE_ROWS }, () => blankRow());
  return (
    <div className="stack-lg narrow-wide">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/dashboard">Dashboard</Link> <span aria-hidden="true">›</span> <Link to="/plans">All plans</Link>{" "}
        <span aria-hidden="true">›</span> New action plan
      </nav>
      <h1>New action plan</h1>
      {result?.error ? <StatusMessage result={{ ok: false, error: result.error }} /> : null}
      <Form method="post" className="stack" noValidate>
        <div className="field">
          <label htmlFor="title">Title</label>
          <input id="title" name="title" defaultValue={v.title} maxLength={160} placeholder="e.g. Let's Do It! action plan 2026-27" {...invalid("title-error", errors.title)} />
          <FieldError id="title-error" message={errors.title} />
        </div>
        <div className="field">
          <label htmlFor="summary">Summary (optional)</label>
          <textarea id="summary" name="summary" rows={2} maxLength={2000} defaultValue={v.summary} />
        </div>
        <fieldset className="stack">
          <legend>The strategy it serves</legend>
          <div className="field">
            <label htmlFor="strategyId">An existing strategy</label>
            <select id="strategyId" name="strategyId" defaultValue={v.strategyId ?? strategies[0]?.id ?? ""} {...invalid("strategyId-error", errors.strategyId)}>
              {strategies.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.title}
                </option>
              ))}
              <option value="">A new strategy (name it below)</option>
            </select>
            <FieldError id="strategyId-error" message={errors.strategyId} />
          </div>
          <div className="field">
            <label htmlFor="newStrategyTitle">New strategy's title (only for a new strategy)</label>
            <input id="newStrategyTitle" name="newStrategyTitle" defaultValue={v.newStrategyTitle} maxLength={160} />
          </div>
          <div className="field">
            <label htmlFor="newStrategyVision">New strategy's vision</label>
            <textarea id="newStrategyVision" name="newStrategyVision" rows={2} maxLength={2000} defaultValue={v.newStrategyVision} {...invalid("newStrategyVision-error", errors.newStrategyVision)} />
            <FieldError id="newStrategyVision-error" message={errors.newStrategyVision} />
          </div>
        </fieldset>
        <fieldset className="stack">
          <legend>The period it covers</legend>
          <div className="field">
            <label htmlFor="periodStart">First day</label>
            <input id="periodStart" name="periodStart" type="date" defaultValue={v.periodStart} {...invalid("periodStart-error", errors.periodStart)} />
            <FieldError id="periodStart-error" message={errors.periodStart} />
          </div>
          <div className="field">
            <label htmlFor="periodEnd">Last day</label>
            <input id="periodEnd" name="periodEnd" type="date" defaultValue={v.periodEnd} {...invalid("periodEnd-error", errors.periodEnd)} />
            <FieldError id="periodEnd-error" message={errors.periodEnd} />
          </div>
          <p className="hint">For example 1 April 2026 to 31 March 2027.</p>
        </fieldset>
        <PrioritiesEditor key={result?.attempt ?? "first"} initial={initialRows} errors={errors} groupings={groupings} />
        <ParticipantsTable organisations={organisations} roles={result?.roles ?? {}} error={errors.participants} />
        <button className="button" name="intent" value="create" disabled={busy}>
          Create the plan
        </button>
      </Form>
    </div>
  );
}
