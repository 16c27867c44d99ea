import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useRef } from "react";
import { z } from "zod";
import { documentsAuthorship } from "../../server/accountability/authorship-view";
import { formatDate, todayInLondon } from "../../server/accountability/dates";
import { loadDeliveryForActions } from "../../server/accountability/delivery";
import {
  addMilestone,
  completeMilestone,
  CompleteMilestoneInput,
  editMilestone,
  LinkInput,
  MilestoneEditInput,
  MilestoneInput,
  postProgressUpdate,
  ProgressUpdateInput,
  removeMilestone,
  reopenMilestone,
  setLink,
  setPriority,
  PriorityInput,
  type DeliveryChange,
} from "../../server/domain/delivery";
import { DomainError } from "../../server/domain/errors";
import { can, canDo, canReportProgress } from "../../server/policy";
import { StatusMessage } from "~/components/StatusMessage";
import { FeedbackKey, FormFeedback, isPageFeedback, useResetOnSuccess } from "~/components/FormFeedback";
import { Breadcrumbs, DirectionLabel, MilestoneState, PlanNav, ProgressStatusLabel, RagBadge, When } from "~/components/accountability";
import { AuthoredParagraphs } from "~/components/authorship";
import { actorOf, requireUser } from "~/utils/auth.server";
import { requirePlanAccess } from "~/utils/plan-access.server";
import { runAction } from "~/utils/responses.server";
import { useLiveRecord } from "~/utils/use-live-record";
import { findCarriedLinks, listAuditFor } from "../../db/queries/plan-cycle";
import { ActionDetailsInput, editActionDetails } from "../../server/domain/action-details";
import { refuseIfArchived } from "../../server/domain/plan-access";
import { findPlanLock } from "../../db/queries/workshops";
import { canEditActionDetails } from "../../server/policy";
import { ActionDetailsSection, detailsHistoryLine } from "~/components/plan-cycle";
import { planActionHref } from "~/utils/plan-filters";
import { findActionPlanId, findActionWithPriority } from "../../db/queries/actions";
import { findMilestoneAction, listKpiOptions, milestoneChangesOfAction, progressUpdatesOfAction } from "../../db/queries/delivery";
import { planPriorityChoices } from "../../db/queries/plan-cycle";
import { listRecommendations, planRecommendationIds } from "../../db/queries/recommendations";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.action.title ?? "Action"}: delivery – Co-design Workspace` },
];

const MILESTONE_EVENT: Record<string, string> = {
  created: "added",
  rescheduled: "rescheduled",
  renamed: "renamed",
  completed: "marked done",
  reopened: "reopened",
  removed: "removed",
};

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const planId = params.planId ?? "";
  const actionId = params.actionId ?? "";
  const { actor, role, plan } = await requirePlanAccess(request, context, planId);
  const { db, sync } = context.app;
  const row = await findActionWithPriority(db, actionId);
  if (!row || row.plan_id !== planId) throw new Response("There is no such action in this plan.", { status: 404 });
  const today = todayInLondon();
  const [{ actions }, updates, changes, kpis, recommendations, planRecommendations, authorship] = await Promise.all([
    loadDeliveryForActions(db, [actionId], today),
    progressUpdatesOfAction(db, actionId),
    milestoneChangesOfAction(db, actionId),
    listKpiOptions(db),
    listRecommendations(db),
    planRecommendationIds(db, planId),
    documentsAuthorship(db, sync, [row.document_id]),
  ]);
  const action = actions[0];
  const owners = [...(action.lead ? [action.lead] : []), ...action.supporting].map((o) => ({
    organisation_id: o.organisationId,
    role: o.role,
    status: o.status,
  }));
  const planRecs = new Set(planRecommendations.map((r) => r.recommendation_id));
  const [detailsHistory, carried, lock] = await Promise.all([listAuditFor(db, actionId, "action."), findCarriedLinks(db, actionId), findPlanLock(db, planId)]);
  return {
    details: {
      canEdit: canEditActionDetails(role, lock !== null),
      history: detailsHistory.map((h) => ({ id: h.id, who: h.actor_name, organisation: h.actor_organisation, at: h.created_at, sentence: detailsHistoryLine(h.event, h.detail) })),
      carried,
    },
    plan: { id: plan.id, title: plan.title },
    today,
    action: {
      ...action,
      documentId: row.document_id,
      priorityCode: row.priority_code,
      priorityTitle: row.priority_title,
    },
    updates,
    changes,
    kpiOptions: kpis
      .filter((k) => !action.kpis.some((l) => l.id === k.id))
      // The action's own department first: that is where its measures usually are.
      .sort((a, b) => Number(b.department_id === row.department_id) - Number(a.department_id === row.department_id)),
    recommendationOptions: recommendations
      .filter((r) => !action.recommendations.some((l) => l.id === r.id))
      .sort((a, b) => Number(planRecs.has(b.id)) - Number(planRecs.has(a.id))),
    paragraphs: authorship.get(row.document_id) ?? [],
    priorityOptions: await planPriorityChoices(db, planId),
    permissions: {
      report: canReportProgress(actor, role, owners),
      plan: canDo(role, "milestone:plan"),
      link: canDo(role, "action:link"),
      move: can(role, "action:edit-details"),
    },
  };
}

const Id = z.string().min(1).max(200);

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const planId = params.planId ?? "";
  const actionId = params.actionId ?? "";
  const form = Object.fromEntries(await request.formData());
  const { db, events } = context.app;
  const actor = actorOf(user);
  return runAction(async () => {
    const owned = await findActionPlanId(db, actionId);
    if (!owned || owned.plan_id !== planId) throw new DomainError(404, "That action is not in this plan. Reload the page.");
    await refuseIfArchived(db, planId);
    if (form.intent === "edit-details") {
      const edited = await editActionDetails(db, context.app.sync, actor, ActionDetailsInput.parse({ actionId, title: form.title, dueLabel: form.dueLabel ?? "" }));
      events.publish({ planId, kind: "action", actionId, actorName: `${user.name} (${user.organisationName})`, summary: edited.summary });
      if (edited.reopened) events.publish({ planId, kind: "agreement", actionId, summary: edited.summary });
      return edited.summary;
    }
    // Milestones named in the form must belong to this action.
    if (typeof form.milestoneId === "string") {
      const m = await findMilestoneAction(db, form.milestoneId);
      if (!m || m.action_id !== actionId) throw new DomainError(404, "That milestone is not on this action. Reload the page.");
    }
    let change: DeliveryChange;
    let kind: "progress" | "milestone" | "action" = "milestone";
    switch (form.intent) {
      case "post-update":
        // Author and organisation come from the session: fields a client adds are ignored.
        change = await postProgressUpdate(
          db,
          actor,
          ProgressUpdateInput.parse({ actionId, status: form.status, reportedOn: form.reportedOn, narrative: form.narrative, mitigation: form.mitigation ?? "" }),
        );
        kind = "progress";
        break;
      case "add-milestone":
        change = await addMilestone(db, actor, MilestoneInput.parse({ actionId, title: form.title, dueDate: form.dueDate }));
        break;
      case "edit-milestone":
        change = await editMilestone(db, actor, MilestoneEditInput.parse({ milestoneId: form.milestoneId, title: form.title, dueDate: form.dueDate }));
        break;
      case "remove-milestone":
        change = await removeMilestone(db, actor, Id.parse(form.milestoneId));
        break;
      case "complete-milestone":
        change = await completeMilestone(db, actor, CompleteMilestoneInput.parse({ milestoneId: form.milestoneId, completedOn: form.completedOn }));
        break;
      case "reopen-milestone":
        change = await reopenMilestone(db, actor, Id.parse(form.milestoneId));
        break;
      case "set-priority":
        change = await setPriority(db, actor, PriorityInput.parse({ actionId, priorityId: form.priorityId }));
        kind = "action";
        break;
      case "link":
      case "unlink":
        change = await setLink(db, actor, LinkInput.parse({ actionId, kind: form.kind, targetId: form.targetId }), form.intent === "link");
        kind = "action";
        break;
      default:
        throw new DomainError(400, "That request was not understood. Reload the page and try again.");
    }
    events.publish({ planId, kind, actionId, actorName: `${user.name} (${user.organisationName})`, summary: change.summary });
    return change.summary;
  }, form);
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>;

export default function ActionDelivery() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const announcement = useLiveRecord([data.plan.id]);
  const { action: a, plan } = data;
  return (
    <div className="stack-lg">
      <div>
        <Breadcrumbs
          items={[
            { to: "/dashboard", label: "Dashboard" },
            { to: `/plans/${plan.id}`, label: plan.title },
            { to: `/plans/${plan.id}/board`, label: "Delivery board" },
            { label: a.title },
          ]}
        />
        <h1>
          {a.title}
          <span className="h1-sub">
            {a.priorityCode ? `${a.priorityCode} ` : ""}
            {a.priorityTitle}
          </span>
        </h1>
        <PlanNav planId={plan.id} />
      </div>
      <div className="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </div>
      <StatusMessage result={isPageFeedback(result) ? result : null} />

      <section aria-labelledby="status-title" className={`panel status-panel status-panel--${a.rag.status}`} data-testid="action-status">
        <h2 id="status-title">
          Status today: <RagBadge status={a.rag.status} size="large" />
        </h2>
        {a.rag.reasons.length ? (
          <ul className="reasons-list">
            {a.rag.reasons.map((r) => (
              <li key={r.ruleId}>
                <strong>{r.colour === "red" ? "Red" : "Amber"}:</strong> {r.text}
              </li>
            ))}
          </ul>
        ) : (
          <p>No rule of the partnership flags this action: it is green.</p>
        )}
        <p className="muted">
          {a.direction === null ? "No report of record yet, so no direction of travel." : <><DirectionLabel direction={a.direction} previous={a.previous} /> since the last report of record.</>} Rules:{" "}
          <Link to="/rag-rules">the partnership's RAG rules</Link>.
        </p>
        <dl className="owners">
          <div>
            <dt>Lead partner</dt>
            <dd>{a.lead ? `${a.lead.name}${a.lead.status === "pending" ? " (asked, not yet accepted)" : ""}` : <span className="gap">No lead partner yet</span>}</dd>
          </div>
          <div>
            <dt>Supporting partners</dt>
            <dd>{a.supporting.length ? a.supporting.map((s) => `${s.name}${s.status === "pending" ? " (asked)" : ""}`).join(", ") : "None named"}</dd>
          </div>
          {a.dueLabel ? (
            <div>
              <dt>Due</dt>
              <dd>{a.dueLabel}</dd>
            </div>
          ) : null}
        </dl>
        <p>
          <Link to={planActionHref(plan.id, a.id)}>Co-draft the description and partners</Link>
        </p>
      </section>

      <ActionDetailsSection planId={plan.id} title={a.title} dueLabel={a.dueLabel} details={data.details} />
      <ProgressSection data={data} />
      <MilestonesSection data={data} />
      <LinksSection data={data} />

      <section aria-labelledby="authors-title">
        <h2 id="authors-title">Who wrote the description</h2>
        <AuthoredParagraphs paragraphs={data.paragraphs} label="The description" />
      </section>
    </div>
  );
}

function ProgressSection({ data }: { data: Data }) {
  const busy = useNavigation().state !== "idle";
  const result = useActionData<typeof action>();
  const updateForm = useRef<HTMLFormElement>(null);
  useResetOnSuccess(updateForm, result, "progress");
  return (
    <section aria-labelledby="progress-title">
      <h2 id="progress-title">Progress updates</h2>
      {data.permissions.report ? (
        <Form method="post" className="panel stack update-form" aria-labelledby="new-update-title" ref={updateForm}>
          <FeedbackKey value="progress" />
          <h3 id="new-update-title">Post a progress update</h3>
          <input type="hidden" name="intent" value="post-update" />
          <fieldset className="radios">
            <legend>How is delivery going?</legend>
            {[
              ["on_track", "On track"],
              ["at_risk", "At risk"],
              ["off_track", "Off track"],
            ].map(([value, label]) => (
              <div key={value} className="radio">
                <input type="radio" id={`status-${value}`} name="status" value={value} required defaultChecked={value === "on_track"} />
                <label htmlFor={`status-${value}`}>{label}</label>
              </div>
            ))}
          </fieldset>
          <div className="field">
            <label htmlFor="reportedOn">Date of the update</label>
            <input id="reportedOn" name="reportedOn" type="date" defaultValue={data.today} max={data.today} required />
          </div>
          <div className="field">
            <label htmlFor="narrative">What has happened since the last update</label>
            <textarea id="narrative" name="narrative" rows={4} required minLength={10} maxLength={5000} />
          </div>
          <div className="field">
            <label htmlFor="mitigation">Mitigation (required when at risk or off track)</label>
            <textarea id="mitigation" name="mitigation" rows={3} maxLength={5000} aria-describedby="mitigation-hint" />
            <p className="hint" id="mitigation-hint">
              What will bring it back on track, who will do it, and by when.
            </p>
          </div>
          <button className="button" disabled={busy}>
            Post update
          </button>
          <p className="hint">Updates are kept as posted and signed with your name and organisation. To correct one, post a new update.</p>
          <FormFeedback result={result} name="progress" />
        </Form>
      ) : (
        <p className="muted">Only the lead or a supporting partner of this action (once accepted), or a facilitator, can post progress updates.</p>
      )}
      {data.updates.length === 0 ? (
        <p className="empty">No progress update yet.</p>
      ) : (
        <ol className="updates" data-testid="updates">
          {data.updates.map((u) => (
            <li key={u.id} id={`update-${u.id}`} className={`update update--${u.status}`}>
              <p className="update__head">
                <ProgressStatusLabel status={u.status} /> <When date={u.reported_on} /> ·{" "}
                <span>
                  {u.author_name} ({u.author_organisation}
                  {u.author_role !== "member" ? `, ${u.author_role}` : ""})
                </span>
              </p>
              <p className="update__text">{u.narrative}</p>
              {u.mitigation ? (
                <p className="update__mitigation">
                  <strong>Mitigation:</strong> {u.mitigation}
                </p>
              ) : null}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function MilestonesSection({ data }: { data: Data }) {
  const busy = useNavigation().state !== "idle";
  const result = useActionData<typeof action>();
  const addMilestone = useRef<HTMLFormElement>(null);
  useResetOnSuccess(addMilestone, result, "milestones");
  const { action: a, permissions } = data;
  return (
    <section aria-labelledby="milestones-title">
      <h2 id="milestones-title">Milestones</h2>
      {a.milestones.length === 0 ? (
        <p className="empty">No milestones yet.{permissions.plan ? " Add the first one below." : ""}</p>
      ) : (
        <table className="table">
          <caption className="visually-hidden">Milestones of {a.title}</caption>
          <thead>
            <tr>
              <th scope="col">Milestone</th>
              <th scope="col">Due</th>
              <th scope="col">State</th>
              {permissions.report || permissions.plan ? <th scope="col">Change</th> : null}
            </tr>
          </thead>
          <tbody>
            {a.milestones.map((m) => (
              <tr key={m.id} data-milestone-id={m.id}>
                <td>{m.title}</td>
                <td>
                  <When date={m.dueDate} />
                </td>
                <td>
                  <MilestoneState m={m} />
                </td>
                {permissions.report || permissions.plan ? (
                  <td className="milestone-actions">
                    {permissions.report && m.state !== "done" ? (
                      <Form method="post" className="inline-fields">
                        <FeedbackKey value="milestones" />
                        <input type="hidden" name="intent" value="complete-milestone" />
                        <input type="hidden" name="milestoneId" value={m.id} />
                        <div className="field field--inline">
                          <label htmlFor={`done-${m.id}`}>Done on</label>
                          <input id={`done-${m.id}`} name="completedOn" type="date" defaultValue={data.today} max={data.today} required />
                        </div>
                        <button className="button button--small" disabled={busy}>
                          Mark done <span className="visually-hidden">: {m.title}</span>
                        </button>
                      </Form>
                    ) : null}
                    {permissions.report && m.state === "done" ? (
                      <Form method="post">
                        <FeedbackKey value="milestones" />
                        <input type="hidden" name="intent" value="reopen-milestone" />
                        <input type="hidden" name="milestoneId" value={m.id} />
                        <button className="button button--small button--secondary" disabled={busy}>
                          Reopen <span className="visually-hidden">: {m.title}</span>
                        </button>
                      </Form>
                    ) : null}
                    {permissions.plan ? (
                      <details className="milestone-edit">
                        <summary>
                          Edit or remove <span className="visually-hidden">{m.title}</span>
                        </summary>
                        <Form method="post" className="inline-fields">
                          <FeedbackKey value="milestones" />
                          <input type="hidden" name="intent" value="edit-milestone" />
                          <input type="hidden" name="milestoneId" value={m.id} />
                          <div className="field">
                            <label htmlFor={`title-${m.id}`}>Title</label>
                            <input id={`title-${m.id}`} name="title" defaultValue={m.title} required minLength={3} maxLength={160} />
                          </div>
                          <div className="field">
                            <label htmlFor={`due-${m.id}`}>Due</label>
                            <input id={`due-${m.id}`} name="dueDate" type="date" defaultValue={m.dueDate} required />
                          </div>
                          <button className="button button--small" disabled={busy}>
                            Save
                          </button>
                        </Form>
                        <Form method="post">
                          <FeedbackKey value="milestones" />
                          <input type="hidden" name="intent" value="remove-milestone" />
                          <input type="hidden" name="milestoneId" value={m.id} />
                          <button className="button button--small button--warning" disabled={busy}>
                            Remove milestone <span className="visually-hidden">{m.title}</span>
                          </button>
                        </Form>
                        <p className="hint">Every change is kept in the milestone history below.</p>
                      </details>
                    ) : null}
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {permissions.plan ? (
        <Form method="post" className="inline-fields add-milestone" aria-label="Add a milestone" ref={addMilestone}>
          <FeedbackKey value="milestones" />
          <input type="hidden" name="intent" value="add-milestone" />
          <div className="field">
            <label htmlFor="new-ms-title">New milestone</label>
            <input id="new-ms-title" name="title" required minLength={3} maxLength={160} placeholder="e.g. Business case approved at Cabinet" />
          </div>
          <div className="field">
            <label htmlFor="new-ms-due">Due date</label>
            <input id="new-ms-due" name="dueDate" type="date" required />
          </div>
          <button className="button button--small" disabled={busy}>
            Add milestone
          </button>
        </Form>
      ) : null}
      {data.changes.length ? (
        <details className="history">
          <summary>Milestone history ({data.changes.length})</summary>
          <table className="table table--compact">
            <caption className="visually-hidden">Changes to the milestones of {a.title}</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Change</th>
                <th scope="col">By</th>
              </tr>
            </thead>
            <tbody>
              {data.changes.map((c) => (
                <tr key={c.id}>
                  <td>{formatDate(c.created_at.slice(0, 10))}</td>
                  <td>
                    “{c.milestone_title}” {MILESTONE_EVENT[c.event] ?? c.event}
                    {c.event === "rescheduled" && c.from_value && c.to_value ? ` from ${formatDate(c.from_value)} to ${formatDate(c.to_value)}` : ""}
                    {c.event === "renamed" && c.from_value ? ` (was “${c.from_value}”)` : ""}
                    {c.event === "completed" && c.to_value ? ` on ${formatDate(c.to_value)}` : ""}
                  </td>
                  <td>{c.actor_name ? `${c.actor_name} (${c.actor_organisation})` : "Recorded from the Corporate Plan"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      ) : null}
      <FormFeedback result={result} name="milestones" />
    </section>
  );
}

function LinksSection({ data }: { data: Data }) {
  const busy = useNavigation().state !== "idle";
  const result = useActionData<typeof action>();
  const { action: a, permissions } = data;
  return (
    <section aria-labelledby="links-title">
      <h2 id="links-title">What this action serves</h2>
      <div className="serves-priority">
        <p>
          <strong>Priority:</strong> {a.priorityCode} {a.priorityTitle}
        </p>
        {permissions.move ? (
          <details>
            <summary>Move to another priority</summary>
            <Form method="post" className="inline-fields">
              <FeedbackKey value="links" />
              <input type="hidden" name="intent" value="set-priority" />
              <div className="field">
                <label htmlFor="move-priority">Priority of this plan</label>
                <select id="move-priority" name="priorityId" defaultValue={a.priorityId ?? ""} required>
                  {data.priorityOptions.map((p) => (
                    <option key={p.id} value={p.id}>
                      {p.code} {p.title.length > 70 ? `${p.title.slice(0, 68)}…` : p.title}
                    </option>
                  ))}
                </select>
              </div>
              <button className="button button--small" disabled={busy}>
                Move
              </button>
            </Form>
          </details>
        ) : null}
      </div>
      <div className="two-col">
        <div>
          <h3>Recommendations</h3>
          {a.recommendations.length === 0 ? (
            <p className="muted">Not linked to a recommendation yet.</p>
          ) : (
            <ul className="link-list">
              {a.recommendations.map((r) => (
                <li key={r.id}>
                  <Link to={`/recommendations/${r.id}`}>
                    Recommendation {r.code}: {r.title}
                  </Link>
                  {permissions.link ? (
                    <Form method="post" className="inline-form">
                      <FeedbackKey value="links" />
                      <input type="hidden" name="intent" value="unlink" />
                      <input type="hidden" name="kind" value="recommendation" />
                      <input type="hidden" name="targetId" value={r.id} />
                      <button className="button button--link" disabled={busy}>
                        Unlink <span className="visually-hidden">recommendation {r.code}</span>
                      </button>
                    </Form>
                  ) : null}
                </li>
              ))}
            </ul>
          )}
          {permissions.link ? (
            <Form method="post" className="inline-fields">
              <FeedbackKey value="links" />
              <input type="hidden" name="intent" value="link" />
              <input type="hidden" name="kind" value="recommendation" />
              <div className="field">
                <label htmlFor="link-rec">Link a recommendation</label>
                <select id="link-rec" name="targetId" required defaultValue="">
                  <option value="" disabled>
                    Choose a recommendation
                  </option>
                  {data.recommendationOptions.map((r) => (
                    <option key={r.id} value={r.id}>
                      {r.code}: {r.title.length > 70 ? `${r.title.slice(0, 68)}…` : r.title}
                    </option>
                  ))}
                </select>
              </div>
              <button className="button button--small" disabled={busy}>
                Link
              </button>
            </Form>
          ) : null}
        </div>
        <div>
          <h3>KPIs</h3>
          {a.kpis.length === 0 ? (
            <p className="muted">No KPI linked yet.</p>
          ) : (
            <ul className="link-list">
              {a.kpis.map((k) => (
                <li key={k.id}>
                  <span className="matrix__code">{k.code}</span> {k.title}
                  {permissions.link ? (
                    <Form method="post" className="inline-form">
                      <FeedbackKey value="links" />
                      <input type="hidden" name="intent" value="unlink" />
                      <input type="hidden" name="kind" value="kpi" />
                      <input type="hidden" name="targetId" value={k.id} />
                      <button className="button button--link" disabled={busy}>
                        Unlink <span className="visually-hidden">KPI {k.code}</span>
                      </button>
                    </Form>
                  ) : null}
                </li>
              ))}
            </ul>
          )}
          {permissions.link ? (
            <Form method="post" className="inline-fields">
              <FeedbackKey value="links" />
              <input type="hidden" name="intent" value="link" />
              <input type="hidden" name="kind" value="kpi" />
              <div className="field">
                <label htmlFor="link-kpi">Link a KPI of the Corporate Plan</label>
                <select id="link-kpi" name="targetId" required defaultValue="">
                  <option value="" disabled>
                    Choose a KPI
                  </option>
                  {data.kpiOptions.map((k) => (
                    <option key={k.id} value={k.id}>
                      {k.code}: {k.title.length > 70 ? `${k.title.slice(0, 68)}…` : k.title}
                    </option>
                  ))}
                </select>
              </div>
              <button className="button button--small" disabled={busy}>
                Link
              </button>
            </Form>
          ) : null}
        </div>
      </div>
      <FormFeedback result={result} name="links" />
    </section>
  );
}
