import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useMemo } from "react";
import type { ParticipantView } from "../../db/queries/workshops";
import { findParticipantId } from "../../server/domain/workshops/access";
import { formatGuestCode } from "../../server/workshops/guest-code";
import { joinUrl, qrMatrix } from "../../server/workshops/join-qr";
import { useWorkshopCtx, WorkshopContext, type WorkshopCtx } from "~/components/workshop/context";
import { plural } from "~/components/workshop/format";
import { PollResults } from "~/components/workshop/Polls";
import { Timer } from "~/components/workshop/Timer";
import { useWorkshopLive } from "~/components/workshop/useWorkshopLive";
import { VoteResults } from "~/components/workshop/VoteResults";
import { requireWorkshopPage } from "~/utils/workshop-access.server";

/** The projector fills the window: no site header or navigation. */
export const handle = { bare: true };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Room screen: ${data?.workshop.title ?? "Workshop"}` }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const workshopId = params.workshopId ?? "";
  const { access } = await requireWorkshopPage(request, context, workshopId);
  // The screen shows the join code, which only facilitators hold.
  if (access.role !== "facilitator") {
    throw new Response("The room screen shows the join code, so it opens for the workshop's facilitators. Ask the facilitator to put it on the projector.", {
      status: 403,
    });
  }
  const { db, workshops, config } = context.app;
  const w = access.workshop;
  const participantId = await findParticipantId(db, access);
  const snapshot = await workshops.snapshot(w.id, participantId);
  if (!snapshot) throw new Response("There is no workshop at this address.", { status: 404 });
  const code = formatGuestCode(w.guest_code);
  const url = joinUrl(config.publicOrigins, request.url, code);
  return {
    workshop: { id: w.id, title: w.title, planId: w.plan_id },
    join: { code, url, qr: qrMatrix(url) },
    participantId,
    snapshot,
    serverNow: Date.now(),
  };
}

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;

/** How many ideas fit on the wall readably; the rest are counted. */
const IDEAS_SHOWN = 8;

export default function RoomScreen() {
  const data = useLoaderData<typeof loader>() as LoaderData;
  const { workshop, join } = data;
  const { state, connection, clock } = useWorkshopLive(workshop.id, data.snapshot, data.serverNow, data.participantId);
  const current = state.agenda.find((i) => i.id === state.control.currentItemId) ?? null;
  const ctx: WorkshopCtx = useMemo(
    () => ({
      workshopId: workshop.id,
      planId: workshop.planId,
      // The screen only shows; it never offers a control.
      role: "facilitator",
      participantId: null,
      canSeePlan: false,
      status: state.control.status,
      may: { run: false, addIdea: false, vote: false },
      setup: null,
      state,
    }),
    [workshop.id, workshop.planId, state],
  );
  const status = state.control.status;
  return (
    <WorkshopContext.Provider value={ctx}>
      <div className="room-screen" data-testid="room-screen" data-connection={connection}>
        <header className="room-screen__top">
          <div className="room-screen__now">
            <h1 className="room-screen__title">{workshop.title}</h1>
            <p className="room-screen__item" data-testid="screen-item">
              {status === "scheduled"
                ? "Starting soon"
                : status === "closed"
                  ? "The workshop has ended. Thank you for taking part."
                  : current
                    ? `${current.position}. ${current.title}`
                    : "—"}
            </p>
          </div>
          {status === "live" ? (
            <div className="room-screen__timer">
              <Timer timer={state.control.timer} clock={clock} itemTitle={current?.title ?? ""} />
            </div>
          ) : null}
        </header>
        <div className="room-screen__body">
          <div className="room-screen__main">
            {current && status === "live" ? <RoomActivity itemId={current.id} /> : null}
          </div>
          <aside className="room-screen__join" aria-labelledby="screen-join-title">
            <h2 id="screen-join-title">Join on your phone</h2>
            {status !== "closed" ? (
              <>
                <svg
                  className="room-screen__qr"
                  viewBox={`0 0 ${join.qr.size} ${join.qr.size}`}
                  role="img"
                  aria-label={`QR code of the join link ${join.url}`}
                  data-testid="screen-qr"
                  shapeRendering="crispEdges"
                >
                  <rect width={join.qr.size} height={join.qr.size} fill="#fff" />
                  <path d={join.qr.path} fill="#000" />
                </svg>
                <p className="room-screen__url" data-testid="screen-join-url">
                  {join.url}
                </p>
                <p className="room-screen__code">
                  Code <strong data-testid="screen-code">{join.code}</strong>
                </p>
              </>
            ) : (
              <p>Guest access has ended.</p>
            )}
          </aside>
        </div>
        <footer className="room-screen__people">
          <WhoIsHere participants={state.participants} />
          {connection !== "live" ? (
            <p className="room-screen__connection" data-connection={connection}>
              {connection === "connecting" ? "Connecting…" : "Reconnecting…"}
            </p>
          ) : null}
        </footer>
      </div>
    </WorkshopContext.Provider>
  );
}

function RoomActivity({ itemId }: { itemId: number }) {
  const { state } = useWorkshopCtx();
  const board = state.boards[itemId];
  const ideas = [...(board?.ideas ?? [])].reverse();
  const openPoll = state.polls.find((p) => p.status === "open" && p.itemId === itemId);
  const openVote = state.votes.find((v) => v.status === "open" && v.itemId === itemId);
  const lastPoll = [...state.polls].reverse().find((p) => p.itemId === itemId && p.results);
  const lastVote = [...state.votes].reverse().find((v) => v.itemId === itemId && v.revealed);
  // The newest result of either kind is what the room just saw.
  const voteFirst = lastVote && (!lastPoll || (lastVote.revealedAt ?? "") >= (lastPoll.closedAt ?? ""));
  return (
    <>
      {openPoll ? (
        <section className="room-screen__panel" aria-labelledby="screen-poll" data-testid="screen-open-poll">
          <h2 id="screen-poll">{openPoll.kind === "consent" ? "Consent check" : "Poll"}: {openPoll.question}</h2>
          <p className="room-screen__big">
            {openPoll.kind === "consent" ? "Agree · Stand aside · Object (with a reason)" : openPoll.options.map((o) => o.label).join(" · ")}
          </p>
          <p>{plural(openPoll.answered, "person has", "people have")} answered. Answer on your own screen.</p>
        </section>
      ) : null}
      {openVote ? (
        <section className="room-screen__panel" aria-labelledby="screen-vote" data-testid="screen-open-vote">
          <h2 id="screen-vote">Voting: {openVote.title}</h2>
          <p>
            {plural(openVote.allowance, "vote")} each · {plural(openVote.voters, "person has", "people have")} voted. Results appear when the
            facilitator shows them.
          </p>
        </section>
      ) : null}
      {!openPoll && !openVote && (lastVote || lastPoll) ? (
        <section className="room-screen__panel" aria-label="Results" data-testid="screen-results">
          {voteFirst && lastVote ? (
            <>
              <h2>{lastVote.title}</h2>
              <VoteResults vote={lastVote} />
            </>
          ) : lastPoll ? (
            <PollResults poll={lastPoll} large />
          ) : null}
        </section>
      ) : null}
      <section className="room-screen__ideas" aria-labelledby="screen-ideas-title" data-testid="screen-ideas">
        <h2 id="screen-ideas-title">
          Ideas <span className="room-screen__count">({board?.ideas.length ?? 0})</span>
        </h2>
        {ideas.length === 0 ? (
          <p className="room-screen__empty">No ideas yet. Add yours on your own screen.</p>
        ) : (
          <ul className="room-screen__idea-list">
            {ideas.slice(0, IDEAS_SHOWN).map((i) => (
              <li key={i.id} className="room-screen__idea" data-testid="screen-idea">
                <span className="room-screen__idea-text">{i.text}</span>
                <span className="room-screen__idea-by">
                  {i.byLabel}
                  {i.edited ? (i.edited.by === "facilitator" ? " · reworded by the facilitator" : " · edited") : ""}
                </span>
              </li>
            ))}
          </ul>
        )}
        {ideas.length > IDEAS_SHOWN ? <p className="room-screen__more">and {ideas.length - IDEAS_SHOWN} more</p> : null}
      </section>
    </>
  );
}

function WhoIsHere({ participants }: { participants: ParticipantView[] }) {
  const counts = new Map<string, number>();
  for (const p of participants) {
    if (!p.online) continue;
    const key = p.kind === "guest" ? "Guests" : (p.organisation ?? "Other");
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  const rows = [...counts.entries()].sort(([a], [b]) => (a === "Guests" ? 1 : b === "Guests" ? -1 : a.localeCompare(b)));
  return (
    <section aria-labelledby="screen-people-title" data-testid="screen-present">
      <h2 id="screen-people-title" className="room-screen__people-title">
        Here now: {plural(total, "person", "people")}
      </h2>
      <ul className="room-screen__orgs">
        {rows.map(([org, n]) => (
          <li key={org} data-testid="screen-org">
            {org} <strong>{n}</strong>
          </li>
        ))}
      </ul>
    </section>
  );
}
