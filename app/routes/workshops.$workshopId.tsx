import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useRevalidator, type ShouldRevalidateFunction } from "@remix-run/react";
import { useEffect, useMemo, useRef, useState } from "react";
import { listOrganisations } from "../../db/queries/plans";
import { documentLabel, invitedOrganisations } from "../../db/queries/workshops";
import { ensureParticipant, findParticipantId } from "../../server/domain/workshops/access";
import { formatGuestCode } from "../../server/workshops/guest-code";
import { canInWorkshop } from "../../server/policy";
import { StatusMessage } from "~/components/StatusMessage";
import { formatScheduled } from "~/components/workshop/format";
import { AgendaSetup } from "~/components/workshop/AgendaSetup";
import { FacilitatorPanel } from "~/components/workshop/FacilitatorPanel";
import { ItemView } from "~/components/workshop/ItemView";
import { Timer } from "~/components/workshop/Timer";
import { useWorkshopLive } from "~/components/workshop/useWorkshopLive";
import { useWorkshopCtx, WorkshopContext, type WorkshopCtx } from "~/components/workshop/context";
import { runAction } from "~/utils/responses.server";
import { requireWorkshopCaller, requireWorkshopPage, publishWorkshopChange } from "~/utils/workshop-access.server";
import { runWorkshopIntent } from "~/utils/workshop-intents.server";
import { planActionOptions } from "../../db/queries/actions";
import { planSections } from "../../db/queries/documents";
import { planPriorityOptions } from "../../db/queries/plan-cycle";
import { planHeading } from "../../db/queries/plans";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.workshop.title ?? "Workshop"} – Co-design Workspace` },
];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const workshopId = params.workshopId ?? "";
  const { access, caller } = await requireWorkshopPage(request, context, workshopId);
  const { db, workshops } = context.app;
  const w = access.workshop;
  let participantId = await findParticipantId(db, access);
  if (participantId === null && w.status === "live") {
    const ensured = await ensureParticipant(db, access);
    participantId = ensured.participantId;
    if (ensured.created) workshops.mark(w.id, ["participants"], [], "soon");
  }
  const facilitator = access.role === "facilitator";
  const [snapshot, plan, invited, setup] = await Promise.all([
    workshops.snapshot(w.id, participantId),
    planHeading(db, w.plan_id),
    invitedOrganisations(db, w.id),
    facilitator ? loadSetupOptions(context.app.db, w.plan_id) : Promise.resolve(null),
  ]);
  if (!snapshot) throw new Response("There is no workshop at this address.", { status: 404 });
  return {
    workshop: {
      id: w.id,
      title: w.title,
      scheduledFor: w.scheduled_for,
      planId: plan.id,
      planTitle: plan.title,
      planKind: plan.kind,
      guestCode: facilitator ? formatGuestCode(w.guest_code) : null,
    },
    me: {
      role: access.role,
      name: access.principal.name,
      organisationName: caller.user?.organisationName ?? null,
      participantId,
      canSeePlan: access.planRole !== "none",
    },
    invited,
    setup: setup ? { ...setup, commitments: plan.kind === "engagement_proposal" } : null,
    snapshot,
    serverNow: Date.now(),
  };
}

async function loadSetupOptions(db: Parameters<typeof listOrganisations>[0], planId: string) {
  const [priorities, actions, documents, organisations] = await Promise.all([
    planPriorityOptions(db, planId),
    planActionOptions(db, planId),
    planSections(db, planId),
    listOrganisations(db),
  ]);
  return {
    priorities: priorities.map((p) => ({ id: p.id, label: `${p.code ? `${p.code} ` : ""}${p.title}` })),
    actions: actions.map((a) => ({ id: a.id, label: a.title, priorityId: a.priority_id })),
    sections: documents.map((d) => ({ id: d.id, label: documentLabel(d.kind, d.plain_text) })),
    organisations: organisations.map((o) => ({ id: o.id, name: o.name })),
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const workshopId = params.workshopId ?? "";
  const form = await request.formData();
  return runAction(async () => {
    const { access, caller } = await requireWorkshopCaller(request, context, workshopId);
    const change = await runWorkshopIntent(context.app.db, access, form);
    const who = caller.user ? `${caller.user.name} (${caller.user.organisationName})` : `${access.principal.name} (guest)`;
    await publishWorkshopChange(context, change, who);
    return change.summary;
  });
}

/** Settings the stream does not carry (title, time, invitations) reload the page's data. */
const RELOAD_AFTER = new Set(["update-details", "set-invitations"]);

/** The event stream brings every other change; reloading the page's data after each click would be waste. */
export const shouldRevalidate: ShouldRevalidateFunction = ({ formMethod, formData, defaultShouldRevalidate }) => {
  if (formMethod?.toUpperCase() !== "POST") return defaultShouldRevalidate;
  const intent = formData?.get("intent");
  return typeof intent === "string" && RELOAD_AFTER.has(intent);
};

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;

function useFollow(workshopId: string) {
  const key = `workshop-follow:${workshopId}`;
  const [follow, setFollowState] = useState(true);
  useEffect(() => {
    if (window.sessionStorage.getItem(key) === "off") setFollowState(false);
  }, [key]);
  const setFollow = (on: boolean) => {
    setFollowState(on);
    window.sessionStorage.setItem(key, on ? "on" : "off");
  };
  return [follow, setFollow] as const;
}

export default function WorkshopPage() {
  const data = useLoaderData<typeof loader>() as LoaderData;
  // Only forms posted without JavaScript land here; the page's own forms show their outcome beside them.
  const result = useActionData<typeof action>();
  const { workshop, me } = data;
  const { state, connection, clock } = useWorkshopLive(workshop.id, data.snapshot, data.serverNow, me.participantId);
  const { control, agenda } = state;
  const status = control.status;
  const revalidator = useRevalidator();

  // The session starting makes this person a participant (attendance): load that once.
  const previousStatus = useRef(status);
  useEffect(() => {
    if (previousStatus.current !== status && status === "live" && me.participantId === null) revalidator.revalidate();
    previousStatus.current = status;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [status]);

  const [follow, setFollow] = useFollow(workshop.id);
  const [chosen, setChosen] = useState<number | null>(null);
  const current = agenda.find((i) => i.id === control.currentItemId) ?? null;
  const viewedId = follow || chosen === null || !agenda.some((i) => i.id === chosen) ? (current?.id ?? agenda[0]?.id ?? null) : chosen;
  const viewed = agenda.find((i) => i.id === viewedId) ?? null;

  // Say where the room went, politely, without moving anyone's keyboard focus.
  const [announcement, setAnnouncement] = useState("");
  const lastItem = useRef(control.currentItemId);
  useEffect(() => {
    if (lastItem.current !== control.currentItemId && current) {
      setAnnouncement(
        follow
          ? `The facilitator moved the room to item ${current.position}: ${current.title}.`
          : `The room moved to item ${current.position}: ${current.title}. You are not following the facilitator.`,
      );
    }
    lastItem.current = control.currentItemId;
  }, [control.currentItemId, current, follow]);

  const ctx: WorkshopCtx = useMemo(
    () => ({
      workshopId: workshop.id,
      planId: workshop.planId,
      role: me.role,
      participantId: me.participantId ?? state.mine.participantId,
      canSeePlan: me.canSeePlan,
      status,
      may: {
        run: canInWorkshop(me.role, "workshop:run", status),
        addIdea: canInWorkshop(me.role, "workshop:add-idea", status),
        vote: canInWorkshop(me.role, "workshop:vote", status),
      },
      setup: data.setup,
      state,
    }),
    [workshop.id, workshop.planId, me, status, data.setup, state],
  );

  const ended = status === "closed";
  const guestEnded = me.role === "guest" && (ended || connection === "ended");
  const roleNote =
    me.role === "facilitator"
      ? "You are facilitating this workshop."
      : me.role === "guest"
        ? `You joined as a guest, ${me.name}. You can add ideas and vote.`
        : `You are taking part as ${me.name}${me.organisationName ? ` (${me.organisationName})` : ""}.`;

  return (
    <WorkshopContext.Provider value={ctx}>
      <div className="stack-lg workshop">
        {me.role !== "guest" ? (
          <nav aria-label="Breadcrumb" className="breadcrumb">
            <Link to="/workshops">Workshops</Link> <span aria-hidden="true">›</span> {workshop.title}
          </nav>
        ) : null}
        <div>
          <h1>
            {workshop.title}
            <span className="h1-sub">
              {formatScheduled(workshop.scheduledFor)} · on{" "}
              {me.canSeePlan ? <Link to={`/plans/${workshop.planId}`}>{workshop.planTitle}</Link> : workshop.planTitle}
            </span>
          </h1>
          <p className="access-note" data-testid="role-note">
            {roleNote}
          </p>
        </div>

        <StatusMessage result={result} />
        {guestEnded ? (
          <div className="notice notice--success" role="status" data-testid="workshop-ended">
            The workshop has ended. Thank you for taking part{me.name ? `, ${me.name}` : ""}. Your ideas and votes are in its record.
          </div>
        ) : ended ? (
          <div className="notice notice--success" role="status" data-testid="workshop-ended">
            This workshop is closed. <Link to={`/workshops/${workshop.id}/record`}>Read the workshop record</Link>: agenda,
            attendance, ideas, votes, decisions and the actions created.
          </div>
        ) : null}

        <LiveBar
          data={data}
          currentTitle={current ? `${current.position}. ${current.title}` : null}
          follow={follow}
          setFollow={(on) => {
            setFollow(on);
            // Not following: stay on what is in view now, whatever the room does.
            setChosen(on ? null : viewedId);
          }}
          connection={connection}
          timer={<Timer timer={control.timer} clock={clock} itemTitle={current?.title ?? ""} />}
        />
        <div className="visually-hidden" role="status" aria-live="polite" data-testid="workshop-announcement">
          {announcement}
        </div>

        {status === "scheduled" ? (
          <p className="notice" data-testid="not-started">
            The session has not started yet. {me.role === "facilitator" ? "Start it when the room is ready." : "This page updates by itself when the facilitator starts it."}
          </p>
        ) : null}

        {ctx.may.run ? <FacilitatorPanel guestCode={workshop.guestCode} current={current} /> : null}

        {!guestEnded ? (
          <div className="workshop__layout">
            <aside className="workshop__side" aria-label="Agenda and people">
              <AgendaList
                viewedId={viewedId}
                onView={(id) => {
                  setChosen(id);
                  if (id !== control.currentItemId) setFollow(false);
                }}
              />
              <WhoIsHere />
            </aside>
            <div className="workshop__main">
              {!follow && current && viewedId !== current.id ? (
                <p className="notice" data-testid="not-following">
                  The room is on item {current.position}: {current.title}.{" "}
                  <button type="button" className="button button--small button--secondary" onClick={() => { setFollow(true); setChosen(null); }}>
                    Go there and follow the facilitator
                  </button>
                </p>
              ) : null}
              {viewed ? (
                <ItemView item={viewed} isCurrent={viewed.id === control.currentItemId} total={agenda.length} />
              ) : (
                <p className="empty">
                  The agenda is empty.{" "}
                  {me.role === "facilitator" ? "Add items under “Agenda, invitations and details” below." : "The facilitator is preparing it."}
                </p>
              )}
            </div>
          </div>
        ) : null}

        {ctx.may.run ? <AgendaSetup workshop={workshop} invited={data.invited} /> : null}
        {me.role !== "guest" && !ended ? (
          <p className="muted">
            <Link to={`/workshops/${workshop.id}/record`}>The workshop record so far</Link> (agenda, attendance, ideas, votes and decisions).
          </p>
        ) : null}
      </div>
    </WorkshopContext.Provider>
  );
}

function LiveBar({
  data,
  currentTitle,
  follow,
  setFollow,
  connection,
  timer,
}: {
  data: LoaderData;
  currentTitle: string | null;
  follow: boolean;
  setFollow: (on: boolean) => void;
  connection: string;
  timer: React.ReactNode;
}) {
  const { state } = useWorkshopCtx();
  const locked = state.control.planLocked;
  return (
    <div className="live-bar" aria-label="Where the room is">
      <div className="live-bar__now">
        <span className="live-bar__label">Now</span>
        <span className="live-bar__item" data-testid="current-item">
          {state.control.status === "scheduled" ? "Not started" : state.control.status === "closed" ? "Closed" : (currentTitle ?? "—")}
        </span>
      </div>
      {timer}
      <p className={`lock-state${locked ? " lock-state--locked" : ""}`} data-testid="lock-state">
        {locked ? "Plan editing locked: only facilitators change the plan" : "Plan editing open"}
      </p>
      <div className="live-bar__follow">
        <div className="checkbox">
          <input type="checkbox" id="follow" checked={follow} onChange={(e) => setFollow(e.target.checked)} />
          <label htmlFor="follow">Follow the facilitator</label>
        </div>
        <p className="hint" id="follow-hint">
          {follow ? "Your view moves to the item the room is on. Untick to look around." : "You choose what you see; the room carries on."}
        </p>
      </div>
      <p className={`connection connection--${connection === "live" ? "live" : connection === "ended" ? "closed" : "reconnecting"}`} data-connection={connection}>
        {connection === "live" ? "Live" : connection === "connecting" ? "Connecting…" : connection === "ended" ? "Disconnected" : "Reconnecting…"}
        <span className="visually-hidden"> connection to the workshop</span>
      </p>
    </div>
  );
}

function AgendaList({ viewedId, onView }: { viewedId: number | null; onView: (id: number) => void }) {
  const { state } = useWorkshopCtx();
  return (
    <nav aria-labelledby="agenda-title" className="agenda">
      <h2 id="agenda-title">Agenda</h2>
      {state.agenda.length === 0 ? (
        <p className="muted">No items yet.</p>
      ) : (
        <ol className="agenda__list">
          {state.agenda.map((i) => {
            const now = i.id === state.control.currentItemId;
            return (
              <li key={i.id} className={`agenda__item${now ? " agenda__item--now" : ""}`}>
                <button
                  type="button"
                  className="agenda__button"
                  aria-current={i.id === viewedId ? "true" : undefined}
                  onClick={() => onView(i.id)}
                  data-item-id={i.id}
                >
                  <span className="agenda__title">
                    {i.position}. {i.title}
                  </span>
                  <span className="agenda__meta">
                    {i.minutes} min{now ? <strong className="tag tag--now"> Now</strong> : null}
                  </span>
                </button>
              </li>
            );
          })}
        </ol>
      )}
    </nav>
  );
}

function WhoIsHere() {
  const { state } = useWorkshopCtx();
  const byOrg = new Map<string, typeof state.participants>();
  for (const p of state.participants) {
    const key = p.kind === "guest" ? "Guests" : (p.organisation ?? "Other");
    byOrg.set(key, [...(byOrg.get(key) ?? []), p]);
  }
  const here = state.participants.filter((p) => p.online).length;
  return (
    <section aria-labelledby="people-title" className="people">
      <h2 id="people-title">
        Who is here <span className="muted">({here} of {state.participants.length})</span>
      </h2>
      {state.participants.length === 0 ? (
        <p className="muted">Nobody has joined yet.</p>
      ) : (
        <ul className="people__orgs">
          {[...byOrg.entries()].map(([org, people]) => (
            <li key={org}>
              <strong>{org}</strong>
              <ul className="people__list">
                {people.map((p) => (
                  <li key={p.id}>
                    {p.name}
                    {p.kind === "facilitator" ? " (facilitator)" : ""}
                    <span className={p.online ? "people__here" : "muted"}>{p.online ? " · here now" : " · away"}</span>
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
