import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { countActionsByPriority, listAuditFor, listPlanPriorities, planCycleSettings } from "../../db/queries/plan-cycle";
import { DomainError } from "../../server/domain/errors";
import { requirePlanRole } from "../../server/domain/plan-access";
import { setArchived } from "../../server/domain/plan-cycle";
import { changePriorities, PriorityChange } from "../../server/domain/plan-setup";
import { canArchivePlan } from "../../server/policy";
import { StatusMessage } from "~/components/StatusMessage";
import { actorOf, requireUser } from "~/utils/auth.server";
import { groupingOptions } from "~/utils/plan-cycle.server";
import { requirePlanAccess } from "~/utils/plan-access.server";
import { runAction } from "~/utils/responses.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Priorities and settings: ${data?.plan.title ?? "plan"} – Co-design Workspace` }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const planId = params.planId ?? "";
  const { actor, plan } = await requirePlanAccess(request, context, planId);
  const { db } = context.app;
  const [priorities, counts, history, groupings, cycle] = await Promise.all([
    listPlanPriorities(db, planId),
    countActionsByPriority(db, planId),
    listAuditFor(db, planId, "plan."),
    groupingOptions(db),
    planCycleSettings(db, planId),
  ]);
  return {
    plan: { id: plan.id, title: plan.title, kind: cycle.kind, archived: cycle.archived_at !== null, archivedAt: cycle.archived_at },
    priorities: priorities.map((p) => ({ ...p, actions: counts.get(p.id) ?? 0 })),
    history: history.map((h) => ({ ...h, sentence: historyLine(h.event, h.detail) })),
    groupings,
    canManage: canArchivePlan(actor),
  };
}

function historyLine(event: string, detail: string): string {
  let d: Record<string, unknown> = {};
  try {
    d = JSON.parse(detail) as Record<string, unknown>;
  } catch {
    /* a bad stored row breaks only its own line */
  }
  const show = (v: unknown) => (typeof v === "string" ? `“${v}”` : v && typeof v === "object" ? `“${[(v as Record<string, string>).code, (v as Record<string, string>).title].filter(Boolean).join(" ")}”` : String(v ?? "nothing"));
  switch (event) {
    case "plan.created":
      return d.from ? "started the plan from the previous one" : "created the plan";
    case "plan.archived":
      return "archived the plan";
    case "plan.unarchived":
      return "unarchived the plan";
    case "plan.priority.added":
      return `added the priority ${show(d.to)}`;
    case "plan.priority.renamed":
      return `changed a priority from ${show(d.from)} to ${show(d.to)}`;
    case "plan.priority.moved":
      return `moved a priority from number ${String(d.from)} to number ${String(d.to)}`;
    case "plan.priority.retired":
      return "retired a priority";
    case "plan.priority.restored":
      return "brought back a retired priority";
    default:
      return event;
  }
}

const Id = z.string().min(1).max(200);
const str = (v: FormDataEntryValue | undefined) => (typeof v === "string" ? v : "");

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const planId = params.planId ?? "";
  const form = Object.fromEntries(await request.formData());
  const { db, sync, events } = context.app;
  const actor = actorOf(user);
  return runAction(async () => {
    await requirePlanRole(db, actor, planId);
    let summary: string;
    if (form.intent === "archive" || form.intent === "unarchive") {
      summary = await setArchived(db, sync, actor, planId, form.intent === "archive");
    } else {
      const priority = { code: str(form.code), title: str(form.title), description: str(form.description), grouping: str(form.grouping) };
      const change = PriorityChange.safeParse({ intent: form.intent, priorityId: form.priorityId, direction: form.direction, priority });
      if (!change.success) {
        if (typeof form.intent !== "string" || !/-priority$/.test(form.intent)) throw new DomainError(400, "That request was not understood. Reload the page and try again.");
        throw change.error;
      }
      Id.optional().parse(form.priorityId);
      summary = await changePriorities(db, actor, planId, change.data);
    }
    events.publish({ planId, kind: "plan", actorName: `${user.name} (${user.organisationName})`, summary });
    return summary;
  });
}

export default function PlanSettings() {
  const { plan, priorities, history, groupings, canManage } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const editable = canManage && !plan.archived;
  return (
    <div className="stack-lg">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/plans">All plans</Link> <span aria-hidden="true">›</span> <Link to={`/plans/${plan.id}`}>{plan.title}</Link>{" "}
        <span aria-hidden="true">›</span> Priorities and settings
      </nav>
      <h1>
        Priorities and settings
        <span className="h1-sub">{plan.title}</span>
      </h1>
      <StatusMessage result={result} />
      {plan.archived ? (
        <p className="archived-note" data-testid="archived-note">
          This plan is archived: it is read-only for everyone, and stays readable, searchable and reportable.
        </p>
      ) : null}
      <datalist id="grouping-options">
        {groupings.map((g) => (
          <option key={g} value={g} />
        ))}
      </datalist>

      <section aria-labelledby="priorities-title" className="stack">
        <h2 id="priorities-title">Priorities</h2>
        {priorities.length === 0 ? <p className="muted">This plan has no priorities yet{editable ? ": add the first below." : "."}</p> : null}
        <ol className="priority-rows">
          {priorities.map((p, i) => (
            <li key={p.id} className="priority-row" data-testid="settings-priority">
              <p>
                <strong>
                  {p.code} {p.title}
                </strong>
                {p.retired_at ? <span className="tag">Retired</span> : null}
                {p.theme_name ? <span className="muted"> · {p.theme_name}</span> : null}
                <span className="muted">
                  {" "}
                  · {p.actions} action{p.actions === 1 ? "" : "s"}
                </span>
              </p>
              {p.description ? <p>{p.description}</p> : null}
              {editable ? (
                <div className="stack">
                  <div className="priority-row__tools">
                    <Form method="post" className="inline-form inline-form--flush">
                      <input type="hidden" name="priorityId" value={p.id} />
                      <input type="hidden" name="direction" value="up" />
                      <button className="button button--secondary button--small" name="intent" value="move-priority" disabled={busy || i === 0} aria-label={`Move ${p.code} up`}>
                        Move up
                      </button>
                    </Form>
                    <Form method="post" className="inline-form inline-form--flush">
                      <input type="hidden" name="priorityId" value={p.id} />
                      <input type="hidden" name="direction" value="down" />
                      <button className="button button--secondary button--small" name="intent" value="move-priority" disabled={busy || i === priorities.length - 1} aria-label={`Move ${p.code} down`}>
                        Move down
                      </button>
                    </Form>
                    <Form method="post" className="inline-form inline-form--flush">
                      <input type="hidden" name="priorityId" value={p.id} />
                      <button
                        className="button button--secondary button--small"
                        name="intent"
                        value={p.retired_at ? "restore-priority" : "retire-priority"}
                        disabled={busy}
                        aria-label={`${p.retired_at ? "Bring back" : "Retire"} ${p.code}`}
                      >
                        {p.retired_at ? "Bring back" : "Retire"}
                      </button>
                    </Form>
                  </div>
                  <details>
                    <summary>Rename {p.code}</summary>
                    <PriorityFields idPrefix={`rename-${p.id}`} values={p} intent="rename-priority" priorityId={p.id} busy={busy} label="Save the new wording" />
                  </details>
                </div>
              ) : null}
            </li>
          ))}
        </ol>
        {editable ? (
          <div className="panel">
            <h3>Add a priority</h3>
            <PriorityFields idPrefix="add" values={{ code: "", title: "", description: "", theme_name: "" }} intent="add-priority" busy={busy} label="Add the priority" />
          </div>
        ) : null}
        <p className="hint">A retired priority takes no new actions; its actions stay visible and reportable until they are moved.</p>
      </section>

      {canManage && plan.kind === "action_plan" ? (
        <section aria-labelledby="cycle-title" className="stack">
          <h2 id="cycle-title">The planning cycle</h2>
          <p>
            <Link to={`/plans/${plan.id}/next`}>Start the next plan from this one</Link>
            <span className="muted"> — same priorities (editable first); you choose which unfinished actions to carry forward.</span>
          </p>
          <Form method="post">
            {plan.archived ? (
              <button className="button button--secondary" name="intent" value="unarchive" disabled={busy}>
                Unarchive this plan
              </button>
            ) : (
              <button className="button button--secondary" name="intent" value="archive" disabled={busy}>
                Archive this plan
              </button>
            )}
            <p className="hint">Archived plans are read-only for everyone (open editors too), and stay readable, searchable and reportable.</p>
          </Form>
        </section>
      ) : null}

      <section aria-labelledby="history-title" className="stack">
        <h2 id="history-title">History of this plan</h2>
        {history.length === 0 ? (
          <p className="muted">No changes to the plan's priorities or state have been recorded yet.</p>
        ) : (
          <ul className="history-list">
            {history.map((h) => (
              <li key={h.id}>
                <strong>{h.actor_name ?? "Someone"}</strong> {h.actor_organisation ? `(${h.actor_organisation}) ` : ""}
                {h.sentence} <span className="muted">on {new Date(h.created_at).toLocaleString("en-GB", { timeZone: "Europe/London" })}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

function PriorityFields({
  idPrefix,
  values,
  intent,
  priorityId,
  busy,
  label,
}: {
  idPrefix: string;
  values: { code: string; title: string; description: string; theme_name: string | null };
  intent: string;
  priorityId?: string;
  busy: boolean;
  label: string;
}) {
  return (
    <Form method="post" className="stack">
      {priorityId ? <input type="hidden" name="priorityId" value={priorityId} /> : null}
      <div className="priority-row__fields">
        <div className="field">
          <label htmlFor={`${idPrefix}-code`}>Code</label>
          <input id={`${idPrefix}-code`} name="code" defaultValue={values.code} required maxLength={20} />
        </div>
        <div className="field">
          <label htmlFor={`${idPrefix}-title`}>Title</label>
          <input id={`${idPrefix}-title`} name="title" defaultValue={values.title} required minLength={3} maxLength={160} />
        </div>
        <div className="field">
          <label htmlFor={`${idPrefix}-grouping`}>Grouping (optional)</label>
          <input id={`${idPrefix}-grouping`} name="grouping" defaultValue={values.theme_name ?? ""} maxLength={80} list="grouping-options" />
        </div>
        <div className="field field--wide">
          <label htmlFor={`${idPrefix}-description`}>Description (optional)</label>
          <textarea id={`${idPrefix}-description`} name="description" defaultValue={values.description} rows={2} maxLength={2000} />
        </div>
      </div>
      <p>
        <button className="button" name="intent" value={intent} disabled={busy}>
          {label}
        </button>
      </p>
    </Form>
  );
}
