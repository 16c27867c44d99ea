import { useEffect, useReducer, useRef, useState } from "react";
import type {
  AgendaItemView,
  BoardPart,
  ControlPart,
  DecisionView,
  MinePart,
  ParticipantView,
  VoteView,
  WorkshopSnapshot,
} from "../../../db/queries/workshops";
import type { PollView } from "../../../db/queries/workshop-polls";

/** The page's copy of the workshop, with the version each part was read at. */
export interface LiveState {
  control: ControlPart;
  agenda: AgendaItemView[];
  boards: Record<number, BoardPart>;
  votes: VoteView[];
  polls: PollView[];
  decisions: DecisionView[];
  participants: ParticipantView[];
  mine: MinePart;
  versions: Record<string, number>;
}

type Incoming =
  | { type: "snapshot"; version: number; data: WorkshopSnapshot }
  | { type: "control"; version: number; data: ControlPart }
  | { type: "agenda"; version: number; data: AgendaItemView[] }
  | { type: "board"; version: number; data: BoardPart | null }
  | { type: "votes"; version: number; data: VoteView[] }
  | { type: "polls"; version: number; data: PollView[] }
  | { type: "decisions"; version: number; data: DecisionView[] }
  | { type: "participants"; version: number; data: ParticipantView[] }
  | { type: "mine"; version: number; data: MinePart };

export function fromSnapshot(s: WorkshopSnapshot): LiveState {
  const boards: Record<number, BoardPart> = {};
  for (const b of s.boards) boards[b.itemId] = b;
  return {
    control: s.control,
    agenda: s.agenda,
    boards,
    votes: s.votes,
    polls: s.polls,
    decisions: s.decisions,
    participants: s.participants,
    mine: s.mine,
    versions: { snapshot: s.version },
  };
}

function versionOf(state: LiveState, key: string): number {
  return Math.max(state.versions[key] ?? 0, state.versions.snapshot ?? 0);
}

/** A part older than what the page already shows is dropped: the page never goes back. */
export function reduceLive(state: LiveState, msg: Incoming): LiveState {
  if (msg.type === "snapshot") {
    const newest = Math.max(0, ...Object.values(state.versions));
    return msg.version >= newest ? fromSnapshot(msg.data) : state;
  }
  const key = msg.type === "board" ? `board:${msg.data?.itemId ?? 0}` : msg.type;
  if (msg.version < versionOf(state, key)) return state;
  const versions = { ...state.versions, [key]: msg.version };
  switch (msg.type) {
    case "control":
      return { ...state, control: msg.data, versions };
    case "agenda":
      return { ...state, agenda: msg.data, versions };
    case "board":
      return msg.data ? { ...state, boards: { ...state.boards, [msg.data.itemId]: msg.data }, versions } : state;
    case "votes":
      return { ...state, votes: msg.data, versions };
    case "polls":
      return { ...state, polls: msg.data, versions };
    case "decisions":
      return { ...state, decisions: msg.data, versions };
    case "participants":
      return { ...state, participants: msg.data, versions };
    case "mine":
      return { ...state, mine: msg.data, versions };
  }
}

export type Connection = "connecting" | "live" | "reconnecting" | "ended";

/**
 * The server's clock as this page estimates it. Each message says when the server sent it; the
 * page receives it a little later, so `serverNow - Date.now()` underestimates the offset by the
 * delay. The largest of the recent samples is the least delayed, so it is the best estimate.
 */
export class ServerClock {
  private samples: number[] = [];
  offset = 0;

  constructor(serverNow?: number) {
    if (serverNow) this.sample(serverNow);
  }

  sample(serverNow: number): void {
    this.samples.push(serverNow - Date.now());
    if (this.samples.length > 12) this.samples.shift();
    this.offset = Math.max(...this.samples);
  }

  now(): number {
    return Date.now() + this.offset;
  }
}

const PARTS = ["snapshot", "control", "agenda", "board", "votes", "polls", "decisions", "participants", "mine"] as const;

export function useWorkshopLive(workshopId: string, initial: WorkshopSnapshot, serverNow: number, participantId: number | null) {
  const [state, dispatch] = useReducer(reduceLive, initial, fromSnapshot);
  const [connection, setConnection] = useState<Connection>("connecting");
  const clock = useRef<ServerClock>(null as unknown as ServerClock);
  if (!clock.current) clock.current = new ServerClock(serverNow);

  // A newer loader result (after a reload or revalidation) is just another snapshot.
  useEffect(() => {
    dispatch({ type: "snapshot", version: initial.version, data: initial });
  }, [initial]);

  useEffect(() => {
    const source = new EventSource(`/workshops/${encodeURIComponent(workshopId)}/events`);
    for (const type of PARTS) {
      source.addEventListener(type, (e) => {
        try {
          const msg = JSON.parse((e as MessageEvent).data) as { version: number; serverNow: number; data: never };
          clock.current.sample(msg.serverNow);
          dispatch({ type, version: msg.version, data: msg.data } as Incoming);
        } catch {
          /* a malformed frame changes nothing; the next snapshot corrects the page */
        }
      });
    }
    source.addEventListener("clock", (e) => {
      try {
        clock.current.sample((JSON.parse((e as MessageEvent).data) as { serverNow: number }).serverNow);
      } catch {
        /* ignore */
      }
    });
    source.addEventListener("open", () => setConnection("live"));
    source.addEventListener("error", () => {
      // CLOSED means the server refused us (guest access ended, or access removed).
      setConnection(source.readyState === EventSource.CLOSED ? "ended" : "reconnecting");
    });
    return () => source.close();
  }, [workshopId, participantId]);

  return { state, connection, clock: clock.current };
}
