import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation, useNavigate, useNavigation, useRevalidator } from "@remix-run/react";
import { useEffect, useMemo, useRef, useState } from "react";
import { listOrganisations, loadPlan, loadPlanContents } from "../../db/queries/plans";
import { findPlanLock, listWorkshops } from "../../db/queries/workshops";
import { createAction, NewActionInput } from "../../server/domain/actions";
import { unreadableDocuments } from "../../server/domain/documents";
import { DomainError } from "../../server/domain/errors";
import { refuseIfArchived, requirePlanRole } from "../../server/domain/plan-access";
import { canCreateWorkshop, canWhilePlanLocked } from "../../server/policy";
import { agreementFilterOf, needsOrganisation, ownersForCard } from "~/utils/plan-card.server";
import { presenceColour } from "../../server/presence-colours";
import { groupBy, groupOf } from "../../server/group-by";
import { sliceEvery } from "../../server/yield-budget";
import { StatusMessage } from "~/components/StatusMessage";
import { RespondsTo } from "~/components/RespondsTo";
import { FeedbackKey, FormFeedback, isPageFeedback, useResetOnSuccess } from "~/components/FormFeedback";
import { useFollowLiveWords } from "~/utils/use-follow-live-words";
import { useLiveRecord, type LiveEvent } from "~/utils/use-live-record";
import { LiveText } from "~/components/editor/LiveText";
import { PresenceBar } from "~/components/editor/PresenceBar";
import { historySentence, OwnerBadge } from "~/components/ownership";
import { PlanNav } from "~/components/accountability";
import { actorOf, requireUser } from "~/utils/auth.server";
import { handleOwnershipIntent, OWNERSHIP_INTENTS } from "~/utils/ownership-intents.server";
import { AgreementPanel, RefreshCard, SuggestionsPanel, WhoWrote } from "~/components/agreement";
import { AGREEMENT_INTENTS, agreementForPlan, handleAgreementIntent } from "~/utils/agreement.server";
import { runAction } from "~/utils/responses.server";
import { planCycleFacts } from "~/utils/plan-cycle.server";
import { PlanCycleBar } from "~/components/plan-cycle";
import { RagBadge } from "~/components/accountability";
import { loadDeliveryForActions } from "../../server/accountability/delivery";
import { todayInLondon } from "../../server/accountability/dates";
import {
  filterQuery,
  matchesFilters,
  narrowsActions,
  parsePlanFilters,
  limitShown,
  ACTIONS_PER_VIEW,
  shownPriority,
  type AgreementFilter,
  type FilterableAction,
  type PlanFilters,
} from "~/utils/plan-filters";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.plan.title ?? "Plan"} – Co-design Workspace` },
];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  // Step by step, with a turn for other requests between steps that ran long: on SQLite every
  // query runs on the event loop, and a plan of 2,000 actions takes a few hundred ms in all.
  const slice = sliceEvery();
  const user = await requireUser(request, context);
  const { db } = context.app;
  const actor = actorOf(user);
  const planId = params.planId ?? "";
  let role;
  try {
    role = await requirePlanRole(db, actor, planId);
  } catch (err) {
    if (err instanceof DomainError) throw new Response(err.message, { status: err.status });
    throw err;
  }
  const [plan, contents, organisations, lock, workshops] = await Promise.all([
    loadPlan(db, planId),
    loadPlanContents(db, planId),
    listOrganisations(db),
    findPlanLock(db, planId),
    listWorkshops(db, [planId]),
  ]);
  if (!plan) throw new Response("There is no plan at this address.", { status: 404 });
  // Engagement proposals are plans with their own page (comments, power-sharing record).
  if (plan.kind === "engagement_proposal") throw redirect(`/proposals/${encodeURIComponent(plan.id)}`);
  // A live workshop may hold the plan's lock: then only facilitators change it.
  const locked = lock !== null;
  const mayEdit = canWhilePlanLocked(role, "plan:edit-text", locked);
  const owners = ownersForCard(actor, role, contents.owners, locked);
  await slice();
  const agreement = await agreementForPlan(context, planId, actor, role, contents.actions, contents.owners);
  const unreadableOverview = contents.overview ? await unreadableDocuments(context.app.sync, [contents.overview.id]) : new Set<string>();
  await slice();
  const delivery = await loadDeliveryForActions(db, { planId }, todayInLondon());
  await slice();
  const cycle = await planCycleFacts(db, actor, planId);

  // Every action's facts for the filters and the counts; only the shown actions go to the page.
  const ragById = new Map(delivery.actions.map((a) => [a.id, a.rag.status]));
  const facts = new Map<string, FilterableAction>();
  const ownersOf = groupBy(owners, (o) => o.action_id);
  for (const a of contents.actions) {
    const view = agreement.byAction[a.id];
    const theirOwners = groupOf(ownersOf, a.id);
    facts.set(a.id, {
      id: a.id,
      priorityId: a.priority_id,
      rag: ragById.get(a.id) ?? "green",
      agreement: agreementFilterOf(view),
      // The role a partner holds: while it is asked to change role, the one it already has.
      partners: theirOwners
        .filter((o) => o.status === "accepted" || o.held_role)
        .map((o) => ({ organisationId: o.organisation_id, role: o.status === "accepted" ? o.role : o.held_role! })),
      needsMe: needsOrganisation(actor, theirOwners, a.id, view),
    });
  }
  const filters = parsePlanFilters(new URL(request.url).searchParams);
  const focused = filters.action ? contents.actions.find((a) => a.id === filters.action) : undefined;
  const priority = shownPriority(filters, contents.priorities.map((p) => p.id), focused?.priority_id ?? null);
  // In the page's order (priorities, then actions), at most a view's worth: a priority of a plan
  // of 2,000 actions holds hundreds.
  const actionsOf = groupBy(contents.actions, (a) => a.priority_id);
  const matching = contents.priorities
    .flatMap((p) => groupOf(actionsOf, p.id))
    .filter((a) => matchesFilters(facts.get(a.id)!, filters, priority))
    .map((a) => a.id);
  const limited = limitShown(matching, filters);
  const shownIds = new Set(limited.shown);
  const countsOf = (ids: readonly string[]) => {
    const of = ids.map((id) => facts.get(id)!);
    return {
      actions: of.length,
      rag: { red: of.filter((f) => f.rag === "red").length, amber: of.filter((f) => f.rag === "amber").length, green: of.filter((f) => f.rag === "green").length },
      agreement: {
        agreed: of.filter((f) => f.agreement === "agreed").length,
        proposed: of.filter((f) => f.agreement === "proposed").length,
        draft: of.filter((f) => f.agreement === "draft").length,
        changed: of.filter((f) => f.agreement === "changed").length,
      },
      needsMe: of.filter((f) => f.needsMe).length,
    };
  };
  const shownAgreement: typeof agreement.byAction = {};
  for (const id of shownIds) shownAgreement[id] = agreement.byAction[id]!;
  const partnerIds = new Set(contents.owners.map((o) => o.organisation_id));
  const historyOf = groupBy(contents.history, (h) => h.action_id);

  return {
    cycle,
    plan,
    role,
    me: {
      id: user.userId,
      name: user.name,
      organisationId: user.organisationId,
      organisationName: user.organisationName,
      colour: presenceColour(user.userId),
    },
    permissions: {
      editText: mayEdit,
      createAction: canWhilePlanLocked(role, "action:create", locked),
      proposeOwner: canWhilePlanLocked(role, "ownership:propose", locked),
      runWorkshop: canCreateWorkshop(role),
    },
    lock,
    workshops: workshops.filter((w) => w.status !== "closed").map((w) => ({ id: w.id, title: w.title, status: w.status })),
    overview: contents.overview ? { ...contents.overview, unreadable: unreadableOverview.size > 0 } : null,
    recommendations: contents.recommendations,
    filters,
    view: {
      /** The one priority shown, or null when the list runs across priorities. */
      priority,
      narrowed: narrowsActions(filters),
      shown: shownIds.size,
      matching: matching.length,
      /** The view with the next actions, and the first of them to land on, while some are left out. */
      more: limited.more
        ? { count: limited.more, query: filterQuery({ ...filters, show: limited.shown.length + ACTIONS_PER_VIEW }), first: matching[limited.shown.length]! }
        : null,
      total: contents.actions.length,
      focusMissing: Boolean(filters.action && !focused),
    },
    totals: countsOf(contents.actions.map((a) => a.id)),
    priorities: contents.priorities.map((p) => {
      const ids = groupOf(actionsOf, p.id).map((a) => a.id);
      return {
        ...p,
        counts: countsOf(ids),
        actions: groupOf(actionsOf, p.id)
          .filter((a) => shownIds.has(a.id))
          .map((a) => ({
            ...a,
            rag: facts.get(a.id)!.rag,
            agreementStatus: facts.get(a.id)!.agreement,
            needsMe: facts.get(a.id)!.needsMe,
            owners: groupOf(ownersOf, a.id),
            history: groupOf(historyOf, a.id),
          })),
      };
    }),
    organisations,
    // Only the texts this view opens: the presence bar hears of people in those alone (a place for
    // each of 2,000 actions was most of that plan's page).
    places: presencePlaces(contents.priorities, contents.actions, contents.overview?.id ?? null, shownIds),
    partnerOrganisations: organisations.filter((o) => partnerIds.has(o.id)),
    agreement: { ...agreement, byAction: shownAgreement },
  };
}

/**
 * How the presence bar names each text of the plan: an action by its priority's code and its place
 * under it ("OPS-3.1"), or by its title when the priority has no code; the overview as such.
 */
function presencePlaces(
  priorities: readonly { id: string; code: string | null }[],
  actions: readonly { id: string; priority_id: string | null; document_id: string; title: string }[],
  overviewId: string | null,
  shown: ReadonlySet<string>,
): Record<string, string> {
  const places: Record<string, string> = {};
  if (overviewId) places[overviewId] = "the overview";
  const actionsOf = groupBy(actions, (a) => a.priority_id);
  for (const p of priorities) {
    groupOf(actionsOf, p.id).forEach((a, i) => {
      if (shown.has(a.id)) places[a.document_id] = p.code ? `${p.code}.${i + 1}` : `“${a.title}”`;
    });
  }
  for (const a of actions) if (shown.has(a.id)) places[a.document_id] ??= `“${a.title}”`;
  return places;
}


export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const form = Object.fromEntries(await request.formData());
  const planId = params.planId ?? "";
  return runAction(async () => {
    // The plan must be visible before anything else is said about it.
    await requirePlanRole(context.app.db, actorOf(user), planId);
    await refuseIfArchived(context.app.db, planId);
    if (typeof form.intent === "string" && OWNERSHIP_INTENTS.has(form.intent)) {
      return handleOwnershipIntent(context, user, form);
    }
    if (typeof form.intent === "string" && AGREEMENT_INTENTS.has(form.intent)) {
      return handleAgreementIntent(context, user, form);
    }
    if (form.intent === "create-action") {
      const input = NewActionInput.parse({
        planId,
        priorityId: form.priorityId,
        title: form.title,
        description: form.description ?? "",
        leadOrganisationId: form.leadOrganisationId || undefined,
        dueLabel: form.dueLabel ?? "",
      });
      const created = await createAction(context.app.db, actorOf(user), input);
      context.app.events.publish({
        planId,
        kind: "action",
        actionId: created.id,
        actorName: `${user.name} (${user.organisationName})`,
        summary: `${user.name} added the action “${input.title}”.`,
      });
      return `Added “${input.title}”.`;
    }
    throw new DomainError(400, "That request was not understood. Reload the page and try again.");
  }, form);
}

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;
type ActionData = LoaderData["priorities"][number]["actions"][number];

/** Live events about one action's facts: the page swaps in that card rather than reloading the plan. */
const CARD_EVENTS = new Set(["ownership", "agreement", "suggestion", "progress", "milestone"]);
/** How long a page waits after an event about a card for the events that follow from the same change. */
const CARD_EVENTS_SETTLE_MS = 50;

type CardPatch = { action: ActionData; agreement: LoaderData["agreement"]["byAction"][string] };

/**
 * The page's data with the cards live events refetched swapped in. A reload (navigation, a form
 * of this page, an event about the plan) brings fresh data and supersedes them. Counts in the
 * priority overview follow on the next reload: only the card is redrawn.
 */
function usePatchedCards(loaded: LoaderData) {
  const [patches, setPatches] = useState<{ base: LoaderData; cards: Record<string, CardPatch> }>({ base: loaded, cards: {} });
  const cards = patches.base === loaded ? patches.cards : {};
  const data = useMemo(() => {
    if (Object.keys(cards).length === 0) return loaded;
    return {
      ...loaded,
      priorities: loaded.priorities.map((p) => ({ ...p, actions: p.actions.map((a) => cards[a.id]?.action ?? a) })),
      agreement: {
        ...loaded.agreement,
        byAction: { ...loaded.agreement.byAction, ...Object.fromEntries(Object.entries(cards).map(([id, c]) => [id, c.agreement])) },
      },
    };
  }, [loaded, cards]);
  const scheduled = useRef(new Set<string>());
  const patch = (event: LiveEvent, reload: () => void): boolean => {
    const id = event.actionId;
    if (!id || !event.kind || !CARD_EVENTS.has(event.kind)) return false;
    // Not on this view: nothing here shows it (its priority's counts follow on the next reload).
    if (!loaded.priorities.some((p) => p.actions.some((a) => a.id === id))) return true;
    // One change often comes as two events (ownership, then the agreement it re-opened): one
    // fetch a moment after the first answers both, and halves what every open page costs the server.
    if (scheduled.current.has(id)) return true;
    scheduled.current.add(id);
    setTimeout(() => {
      scheduled.current.delete(id);
      fetchCard(id, reload);
    }, CARD_EVENTS_SETTLE_MS);
    return true;
  };
  // The sign-off button follows the live words (app/utils/use-follow-live-words.ts): the card of
  // an action this person may sign off is fetched again a moment after its text changes.
  const revalidator = useRevalidator();
  const refresh = (id: string) => fetchCard(id, () => revalidator.revalidate());
  useFollowLiveWords(
    loaded.priorities.flatMap((p) => p.actions.filter((a) => loaded.agreement.byAction[a.id]?.mine.canSign).map((a) => [a.document_id, a.id] as const)),
    refresh,
  );
  const fetchCard = (id: string, reload: () => void) => {
    fetch(`/plans/${encodeURIComponent(loaded.plan.id)}/cards/${encodeURIComponent(id)}`, { headers: { Accept: "application/json" } })
      .then((res) => (res.ok ? (res.json() as Promise<CardPatch>) : Promise.reject(new Error(String(res.status)))))
      .then((card) =>
        setPatches((prev) => ({ base: loaded, cards: { ...(prev.base === loaded ? prev.cards : {}), [id]: card } })),
      )
      .catch(reload);
  };
  return { data, patch, refresh };
}

export default function PlanPage() {
  const loaded = useLoaderData<typeof loader>();
  const { data, patch, refresh } = usePatchedCards(loaded);
  const result = useActionData<typeof action>();
  const announcement = useLiveRecord([data.plan.id], patch);
  const { plan, role, me, permissions } = data;
  useOldCardLinks();
  return (
    <RefreshCard.Provider value={refresh}>
      <div className="stack-lg plan">
        <nav aria-label="Breadcrumb" className="breadcrumb">
          <Link to="/dashboard">Dashboard</Link> <span aria-hidden="true">›</span> {plan.title}
        </nav>
        <div>
          <h1>{plan.title}</h1>
          {plan.strategy_title ? (
            <p className="muted">
              Under <strong>{plan.strategy_title}</strong>
              {plan.strategy_vision ? <>: “{plan.strategy_vision}”</> : null}
            </p>
          ) : null}
          <p className="access-note" data-role={role}>
            {accessNote(role)}
          </p>
          <PlanCycleBar planId={plan.id} cycle={data.cycle} />
          <p className="plan-exports">
            <a href={`/plans/${encodeURIComponent(plan.id)}/sign-offs.csv`} download>
              Download the sign-off trail (CSV)
            </a>
            <span className="muted"> — every sign-off and change of agreement: who, which organisation, when, which text.</span>
          </p>
          {data.lock ? (
            <p className="lock-state lock-state--locked plan-lock" data-testid="plan-lock">
              Editing is locked while the workshop <Link to={`/workshops/${data.lock.id}`}>{data.lock.title}</Link> is running.{" "}
              {role === "facilitator"
                ? "You can still edit, as its facilitator."
                : "You can read the plan live; bring changes to the workshop. The facilitator unlocks it afterwards."}
            </p>
          ) : null}
          {data.workshops.length || permissions.runWorkshop ? (
            <p className="muted plan-workshops">
              {data.workshops.length ? "Workshops: " : null}
              {data.workshops.map((w, i) => (
                <span key={w.id}>
                  {i ? " · " : ""}
                  <Link to={`/workshops/${w.id}`}>{w.title}</Link> ({w.status === "live" ? "live now" : "coming up"})
                </span>
              ))}
              {permissions.runWorkshop ? (
                <>
                  {data.workshops.length ? " · " : null}
                  <Link to={`/workshops/new?plan=${encodeURIComponent(plan.id)}`}>Set up a workshop on this plan</Link>
                </>
              ) : null}
            </p>
          ) : null}
          <PlanNav planId={plan.id} />
        </div>
        <PresenceBar selfId={me.id} readOnly={!permissions.editText} places={data.places} />
        <div className="visually-hidden" role="status" aria-live="polite" data-testid="live-announcement">
          {announcement}
        </div>
        <StatusMessage result={isPageFeedback(result) ? result : null} />

        {data.overview ? (
          <section aria-labelledby="overview-title" className="panel">
            <h2 id="overview-title">Overview</h2>
            <LiveText
              docId={data.overview.id}
              label={`Overview of ${plan.title}`}
              editable={permissions.editText}
              userName={me.name}
              userColor={me.colour}
              userId={me.id}
              initialText={data.overview.plain_text}
              unreadable={data.overview.unreadable}
            />
            <RespondsTo recommendations={data.recommendations} />
          </section>
        ) : null}

        <PriorityOverview data={data} />
        <PlanFilterForm data={data} />

        <section aria-labelledby="shown-actions-title" className="stack shown-actions">
          <h2 id="shown-actions-title" className="visually-hidden">
            Actions shown
          </h2>
          <p className="shown-actions__summary" role="status" data-testid="shown-summary">
            {shownSummary(data)}
          </p>
          {data.view.focusMissing ? <p className="notice">That action is not in this plan any more, or was never in it.</p> : null}
          {data.priorities
            .filter((p) => (data.view.priority ? p.id === data.view.priority : p.actions.length > 0 || !data.view.narrowed))
            .map((p) => (
              <section key={p.id} id={`priority-${p.id}`} aria-labelledby={`priority-title-${p.id}`} className="priority">
                <h2 id={`priority-title-${p.id}`}>
                  {p.code ? <span className="priority__code">{p.code}</span> : null} {p.title}
                  {data.cycle.retired.includes(p.id) ? <span className="tag">Retired</span> : null}
                </h2>
                <p className="muted">{[p.theme_name, p.department_name].filter(Boolean).join(" · ")}</p>
                {p.actions.length === 0 ? (
                  <p className="empty">
                    {p.counts.actions === 0
                      ? `No actions under this priority yet.${permissions.createAction ? " Add the first one below." : ""}`
                      : "No action under this priority matches the filters."}
                  </p>
                ) : (
                  <ol className="actions">
                    {p.actions.map((a) => (
                      <ActionCard key={a.id} action={a} data={data} />
                    ))}
                  </ol>
                )}
                {permissions.createAction && !data.cycle.retired.includes(p.id) ? <NewActionForm priorityId={p.id} priorityTitle={p.title} data={data} /> : null}
              </section>
            ))}
          {data.view.more ? (
            <p className="show-more">
              <Link to={`${data.view.more.query}#action-${data.view.more.first}`} preventScrollReset data-testid="show-more">
                Show the next {Math.min(ACTIONS_PER_VIEW, data.view.more.count)} of {data.view.more.count} more actions
              </Link>
            </p>
          ) : null}
        </section>
      </div>
    </RefreshCard.Provider>
  );
}

/**
 * Links written before the plan page was filtered (bookmarks, e-mails: `/plans/x#action-y`)
 * name a card that may not be in the view the page opens on. The server never sees the
 * fragment, so the page asks for the view that holds it.
 */
function useOldCardLinks() {
  const location = useLocation();
  const navigate = useNavigate();
  useEffect(() => {
    const target = /^#(action|priority)-(.+)$/.exec(location.hash);
    if (!target || document.getElementById(location.hash.slice(1))) return;
    const [, kind, id] = target;
    navigate(`${location.pathname}?${kind}=${encodeURIComponent(decodeURIComponent(id!))}${location.hash}`, { replace: true });
  }, [location.hash, location.pathname, navigate]);
}

function shownSummary(data: LoaderData): string {
  const { view, priorities } = data;
  const n = (k: number) => `${k} action${k === 1 ? "" : "s"}`;
  const p = view.priority ? priorities.find((x) => x.id === view.priority) : null;
  const where = p ? ` under ${p.code ? `${p.code} ` : ""}${p.title}` : " across all priorities";
  const part = view.more ? `${view.shown} of ` : "";
  if (!view.narrowed) return `Showing ${part}${n(view.matching)}${where}, of ${view.total} in the plan.`;
  return view.more
    ? `Showing ${view.shown} of the ${n(view.matching)} that match the filters${where}, of ${view.total} in the plan.`
    : `${n(view.matching)} match the filters${where}, of ${view.total} in the plan.`;
}

function Counts({ counts, label }: { counts: LoaderData["totals"]; label: string }) {
  return (
    <span className="counts" data-testid="counts">
      <span className="counts__item">{counts.actions} action{counts.actions === 1 ? "" : "s"}</span>
      {(["red", "amber", "green"] as const).map((r) =>
        counts.rag[r] ? (
          <span key={r} className={`count-chip count-chip--${r}`}>
            {counts.rag[r]} <span className="visually-hidden">{label} </span>
            {r === "red" ? "red" : r === "amber" ? "amber" : "green"}
          </span>
        ) : null,
      )}
      <span className="counts__item">
        {counts.agreement.agreed} agreed
        {counts.agreement.proposed ? `, ${counts.agreement.proposed} proposed` : ""}
        {counts.agreement.changed ? `, ${counts.agreement.changed} changed since agreed` : ""}
        {counts.agreement.draft ? `, ${counts.agreement.draft} draft` : ""}
      </span>
    </span>
  );
}

/** The plan's priorities, each with what it holds: the way into a big plan. */
function PriorityOverview({ data }: { data: LoaderData }) {
  const base = `/plans/${encodeURIComponent(data.plan.id)}`;
  return (
    <nav aria-labelledby="priorities-title" className="priority-overview">
      <h2 id="priorities-title">Priorities</h2>
      <p className="muted">
        Whole plan: <Counts counts={data.totals} label="in the plan" />
      </p>
      <ol className="priority-list">
        {data.priorities.map((p) => {
          const current = data.view.priority === p.id && !data.view.narrowed;
          return (
            <li key={p.id} className={current ? "priority-list__item priority-list__item--current" : "priority-list__item"}>
              <Link to={`${base}${filterQuery({ priority: p.id })}`} aria-current={current ? "true" : undefined} data-testid="priority-link">
                {p.code ? `${p.code} ` : ""}
                {p.title}
              </Link>
              <Counts counts={p.counts} label={`under ${p.code || p.title}`} />
            </li>
          );
        })}
      </ol>
      <p>
        <Link to={`${base}?priority=all`}>Show every action in the plan</Link>
        {data.totals.needsMe ? (
          <>
            {" · "}
            <Link to={`${base}?priority=all&mine=1`}>
              {data.totals.needsMe} need{data.totals.needsMe === 1 ? "s" : ""} {data.me.organisationName}
            </Link>
          </>
        ) : null}
      </p>
    </nav>
  );
}

/** A GET form: the filters are the address, so they work without JavaScript and can be shared. */
function PlanFilterForm({ data }: { data: LoaderData }) {
  const f: PlanFilters = data.filters;
  const priorityValue = data.view.priority ?? "all";
  return (
    <Form method="get" className="plan-filters" aria-labelledby="filters-title" data-testid="plan-filters">
      <h2 id="filters-title" className="plan-filters__title">
        Filter the actions
      </h2>
      <div className="plan-filters__fields">
        <div className="field">
          <label htmlFor="filter-priority">Priority</label>
          <select id="filter-priority" name="priority" defaultValue={priorityValue} key={`p-${priorityValue}`}>
            <option value="all">All priorities</option>
            {data.priorities.map((p) => (
              <option key={p.id} value={p.id}>
                {p.code ? `${p.code} ` : ""}
                {p.title}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="filter-partner">Partner</label>
          <select id="filter-partner" name="partner" defaultValue={f.partner} key={`o-${f.partner}`}>
            <option value="">Any partner</option>
            {data.partnerOrganisations.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="filter-role">As</label>
          <select id="filter-role" name="role" defaultValue={f.role} key={`r-${f.role}`}>
            <option value="either">Lead or supporting</option>
            <option value="lead">Lead partner</option>
            <option value="support">Supporting partner</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="filter-rag">RAG status</label>
          <select id="filter-rag" name="rag" defaultValue={f.rag} key={`g-${f.rag}`}>
            <option value="">Any</option>
            <option value="red">Red</option>
            <option value="amber">Amber</option>
            <option value="green">Green</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="filter-agreement">Agreement</label>
          <select id="filter-agreement" name="agreement" defaultValue={f.agreement} key={`a-${f.agreement}`}>
            <option value="">Any</option>
            <option value="draft">Draft</option>
            <option value="proposed">Proposed</option>
            <option value="agreed">Agreed</option>
            <option value="changed">Changed since agreed</option>
          </select>
        </div>
        <div className="field field--checkbox">
          <input type="checkbox" id="filter-mine" name="mine" value="1" defaultChecked={f.mine} key={`m-${f.mine}`} />
          <label htmlFor="filter-mine">Needs {data.me.organisationName}</label>
        </div>
      </div>
      <p className="plan-filters__actions">
        <button type="submit" className="button">
          Show actions
        </button>{" "}
        <Link to={`/plans/${encodeURIComponent(data.plan.id)}`}>Clear filters</Link>
      </p>
    </Form>
  );
}

function accessNote(role: string): string {
  switch (role) {
    case "facilitator":
      return "You facilitate this plan: you can edit it and manage who takes part.";
    case "editor":
      return "Your organisation edits this plan with the other partners. Changes are shared live.";
    case "commenter":
      return "You can read this plan as it is drafted, live, and suggest different words for any action. The text itself is read-only for you.";
    default:
      return "You can view this plan as it is drafted, live. You cannot change it.";
  }
}

function ActionCard({ action: a, data }: { action: ActionData; data: LoaderData }) {
  const result = useActionData<typeof action>();
  const nameOwnerForm = useRef<HTMLFormElement>(null);
  useResetOnSuccess(nameOwnerForm, result, `name-owner:${a.id}`);
  const { me, permissions } = data;
  // While another organisation is asked to take over, the current lead still leads.
  const lead = a.owners.find((o) => o.role === "lead" && o.status === "accepted");
  const askedToLead = a.owners.find((o) => o.role === "lead" && o.status === "pending");
  const supporting = a.owners.filter((o) => o.role === "support" || o.held_role === "support");
  const busy = useNavigation().state !== "idle";
  const focused = data.filters.action === a.id;
  const location = useLocation();
  // Removing a partner is confirmed first, without JavaScript: "Remove" is a link to this page with
  // ?remove=<organisation> on the focused action, which shows the question and the real button.
  const params = new URLSearchParams(location.search);
  const confirmingRemoval = focused ? params.get("remove") : null;
  const hrefWith = (remove: string | null) => {
    const next = new URLSearchParams(location.search);
    next.set("action", a.id);
    if (remove) next.set("remove", remove);
    else next.delete("remove");
    return `?${next.toString()}#action-${a.id}`;
  };
  return (
    <li className={focused ? "action action--focused" : "action"} id={`action-${a.id}`} data-action-id={a.id}>
      <article aria-labelledby={`action-title-${a.id}`}>
        <header className="action__header">
          <h3 id={`action-title-${a.id}`}>{a.title}</h3>
          {data.places[a.document_id] && !data.places[a.document_id].startsWith("“") ? (
            <span className="tag action__code" data-testid="action-code" title="How the presence bar names this action">
              {data.places[a.document_id]}
            </span>
          ) : null}
          {a.due_label ? <span className="tag">Due {a.due_label}</span> : null}
          <span className="action__chips" data-testid="action-chips">
            <RagBadge status={a.rag} />
            <span className={`status-tag status-tag--${a.agreementStatus}`} data-testid="agreement-chip">
              {AGREEMENT_CHIP[a.agreementStatus]}
            </span>
            {a.needsMe ? (
              <span className="tag tag--needs" data-testid="needs-me">
                Needs {me.organisationName}
              </span>
            ) : null}
          </span>
          {data.cycle.carriedFrom[a.id] ? (
            <Link className="carried-from" data-testid="carried-from" to={`/plans/${data.cycle.carriedFrom[a.id]!.planId}/actions/${data.cycle.carriedFrom[a.id]!.actionId}`}>
              {data.cycle.carriedFrom[a.id]!.text}
            </Link>
          ) : null}
        </header>
        <p className="action__delivery">
          <Link to={`/plans/${data.plan.id}/actions/${a.id}`}>
            Milestones, progress and status <span className="visually-hidden">of {a.title}</span>
          </Link>
        </p>
        <dl className="owners" data-testid="owners">
          <div>
            <dt>Lead partner</dt>
            <dd>
              {lead && askedToLead ? (
                <span data-testid="lead">
                  {askedToLead.organisation_name} asked to take over as lead, pending; {lead.organisation_name} leads until then
                </span>
              ) : lead ? (
                <span data-testid="lead">{lead.organisation_name}</span>
              ) : askedToLead ? (
                <span data-testid="lead">
                  {askedToLead.organisation_name} <OwnerBadge role="lead" status="pending" />
                </span>
              ) : (
                <span className="gap">No lead partner yet</span>
              )}
            </dd>
          </div>
          <div>
            <dt>Supporting partners</dt>
            <dd>
              {supporting.length === 0 ? (
                <span className="muted">None named</span>
              ) : (
                supporting.map((o, i) => (
                  <span key={o.organisation_id}>
                    {i ? ", " : ""}
                    {o.organisation_name}
                    {o.status === "pending" && o.role === "support" ? <> <OwnerBadge role="support" status="pending" /></> : null}
                  </span>
                ))
              )}
            </dd>
          </div>
        </dl>
        <LiveText
          docId={a.document_id}
          label={`Description of the action: ${a.title}`}
          editable={permissions.editText}
          userName={me.name}
          userColor={me.colour}
          userId={me.id}
          initialText={a.plain_text}
          unreadable={data.agreement.byAction[a.id]?.readable === false}
        />
        {data.agreement.byAction[a.id] ? (
          <details className="card-more" data-testid="agreement-details" data-follow-words={a.id} open={focused || undefined}>
            <summary>
              Agreement, suggestions and authors <span className="visually-hidden">for {a.title}</span>
              {data.agreement.byAction[a.id].suggestions.some((x) => x.status === "open") ? (
                <span className="muted">
                  {" "}
                  ({data.agreement.byAction[a.id].suggestions.filter((x) => x.status === "open").length} open suggestion
                  {data.agreement.byAction[a.id].suggestions.filter((x) => x.status === "open").length === 1 ? "" : "s"})
                </span>
              ) : null}
            </summary>
            <AgreementPanel
              actionId={a.id}
              actionTitle={a.title}
              view={data.agreement.byAction[a.id]}
              organisationName={me.organisationName}
            />
            <SuggestionsPanel
              actionId={a.id}
              actionTitle={a.title}
              docId={a.document_id}
              suggestions={data.agreement.byAction[a.id].suggestions}
              maySuggest={data.agreement.maySuggest}
              mayDecide={data.agreement.mayDecideSuggestions}
              organisationName={me.organisationName}
            />
            <WhoWrote actionTitle={a.title} contributors={data.agreement.byAction[a.id].contributors} />
          </details>
        ) : null}
        <details className="ownership card-more" open={confirmingRemoval ? true : undefined}>
          <summary>
            Partners and history <span className="visually-hidden">for {a.title}</span>
          </summary>
          <div className="ownership__body">
            {a.owners.length ? (
              <ul className="owner-list">
                {a.owners.map((o) => (
                  <li key={o.organisation_id}>
                    <strong>{o.organisation_name}</strong> <OwnerBadge role={o.role} status={o.status} />
                    {o.canRespond || o.canRemove ? (
                      <Form method="post" className="inline-form">
                        <FeedbackKey value={`owners:${a.id}`} />
                        <input type="hidden" name="actionId" value={a.id} />
                        <input type="hidden" name="organisationId" value={o.organisation_id} />
                        {o.canRespond ? (
                          <>
                            <button className="button button--small" name="intent" value="accept-ownership" disabled={busy}>
                              Accept for {me.organisationName}
                            </button>
                            <button className="button button--small button--secondary" name="intent" value="decline-ownership" disabled={busy}>
                              Decline
                            </button>
                          </>
                        ) : null}
                        {o.canRemove && o.status === "pending" ? (
                          <button className="button button--small button--warning" name="intent" value="remove-owner" disabled={busy}>
                            Withdraw request
                            <span className="visually-hidden"> to {o.organisation_name}</span>
                          </button>
                        ) : null}
                        {o.canRemove && o.status === "accepted" && confirmingRemoval !== o.organisation_id ? (
                          <Link className="button button--small button--warning" to={hrefWith(o.organisation_id)} preventScrollReset>
                            Remove<span className="visually-hidden"> {o.organisation_name}</span>
                          </Link>
                        ) : null}
                      </Form>
                    ) : null}
                    {o.canRemove && o.status === "accepted" && confirmingRemoval === o.organisation_id ? (
                      <Form method="post" className="confirm-removal" data-testid="confirm-removal" aria-labelledby={`confirm-remove-${a.id}`}>
                        <FeedbackKey value={`owners:${a.id}`} />
                        <p id={`confirm-remove-${a.id}`} role="alert">
                          Take {o.organisation_name} off “{a.title}”? It will no longer be a partner of this action, and its answer is no longer needed for agreement.
                        </p>
                        <input type="hidden" name="actionId" value={a.id} />
                        <input type="hidden" name="organisationId" value={o.organisation_id} />
                        <button className="button button--small button--warning" name="intent" value="remove-owner" disabled={busy}>
                          Yes, remove {o.organisation_name}
                        </button>{" "}
                        <Link className="button button--small button--secondary" to={hrefWith(null)} preventScrollReset>
                          Cancel
                        </Link>
                      </Form>
                    ) : null}
                  </li>
                ))}
              </ul>
            ) : null}
            {/* Answers to accept, decline, withdraw and remove: here, since the row they were about may go. */}
            <FormFeedback result={result} name={`owners:${a.id}`} />
            {permissions.proposeOwner ? (
              <Form method="post" className="name-owner" ref={nameOwnerForm}>
                <FeedbackKey value={`name-owner:${a.id}`} />
                <input type="hidden" name="intent" value="name-owner" />
                <input type="hidden" name="actionId" value={a.id} />
                <div className="field">
                  <label htmlFor={`org-${a.id}`}>Partner organisation</label>
                  <select id={`org-${a.id}`} name="organisationId" defaultValue="" required>
                    <option value="" disabled>
                      Choose an organisation
                    </option>
                    <OrganisationOptions organisations={data.organisations} />
                  </select>
                </div>
                <div className="field">
                  <label htmlFor={`role-${a.id}`}>Role</label>
                  <select id={`role-${a.id}`} name="role" defaultValue="support">
                    <option value="lead">Lead partner</option>
                    <option value="support">Supporting partner</option>
                  </select>
                </div>
                <button className="button button--small" disabled={busy}>
                  Name partner
                </button>
                <p className="hint">Another organisation is asked first: it shows as pending until one of its editors accepts.</p>
                <FormFeedback result={result} name={`name-owner:${a.id}`} />
              </Form>
            ) : null}
            <h4>Ownership history</h4>
            {a.history.length === 0 ? (
              <p className="muted">No changes recorded yet.</p>
            ) : (
              <table className="table table--compact">
                <caption className="visually-hidden">Ownership history of {a.title}</caption>
                <thead>
                  <tr>
                    <th scope="col">When</th>
                    <th scope="col">Change</th>
                    <th scope="col">By</th>
                  </tr>
                </thead>
                <tbody>
                  {a.history.map((h) => (
                    <tr key={h.id}>
                      <td>
                        <time dateTime={h.created_at}>{formatWhen(h.created_at)}</time>
                      </td>
                      <td>
                        {historySentence(h)}
                        {h.note ? <span className="muted"> — {h.note}</span> : null}
                      </td>
                      <td>
                        {h.actor_name ? `${h.actor_name} (${h.actor_organisation_name ?? ""})` : "Imported from source documents"}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </div>
        </details>
      </article>
    </li>
  );
}

const AGREEMENT_CHIP: Record<AgreementFilter, string> = { draft: "Draft", proposed: "Proposed", agreed: "Agreed", changed: "Changed since agreed" };

function NewActionForm({ priorityId, priorityTitle, data }: { priorityId: string; priorityTitle: string; data: LoaderData }) {
  const busy = useNavigation().state !== "idle";
  const id = `new-${priorityId}`;
  const result = useActionData<typeof action>();
  const form = useRef<HTMLFormElement>(null);
  const feedback = `create-action:${priorityId}`;
  useResetOnSuccess(form, result, feedback);
  return (
    <details className="new-action">
      <summary>
        Add an action <span className="visually-hidden">under {priorityTitle}</span>
      </summary>
      <Form method="post" className="stack" ref={form}>
        <FeedbackKey value={feedback} />
        <input type="hidden" name="intent" value="create-action" />
        <input type="hidden" name="priorityId" value={priorityId} />
        <div className="field">
          <label htmlFor={`${id}-title`}>Title</label>
          <input id={`${id}-title`} name="title" required minLength={3} maxLength={160} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-description`}>First description</label>
          <textarea id={`${id}-description`} name="description" rows={3} maxLength={5000} />
          <p className="hint">Partners refine it together afterwards in the live editor.</p>
        </div>
        <div className="field">
          <label htmlFor={`${id}-lead`}>Lead partner</label>
          <select id={`${id}-lead`} name="leadOrganisationId" defaultValue={data.me.organisationId}>
            <option value="">Decide later</option>
            <OrganisationOptions organisations={data.organisations} />
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-due`}>Due (optional)</label>
          <input id={`${id}-due`} name="dueLabel" maxLength={40} placeholder="e.g. Q3 2022-23" />
        </div>
        <button className="button" disabled={busy}>
          Add action
        </button>
        <FormFeedback result={result} name={feedback} />
      </Form>
    </details>
  );
}

function OrganisationOptions({ organisations }: { organisations: LoaderData["organisations"] }) {
  return (
    <>
      {organisations.map((o) => (
        <option key={o.id} value={o.id}>
          {o.name}
        </option>
      ))}
    </>
  );
}

// One formatter for the module: toLocaleString with options builds a new one on every call,
// which was a third of the server render time of a plan with 100 actions.
const WHEN = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "short",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  timeZone: "Europe/London",
});

function formatWhen(iso: string): string {
  return WHEN.format(new Date(iso));
}
