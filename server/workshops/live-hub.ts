/**
 * Pushes a workshop's live state to every open page over Server-Sent Events. The state itself
 * is in SQLite; this only reads the part that changed, once, and writes it to each stream, with
 * the workshop's version (so a page never goes back) and the server's clock (so every page
 * computes the same remaining time). Per workshop, sends happen in order through one queue.
 */
import type { DB } from "../../db/connection";
import { readMineMany, readPart, readSnapshot, type PartName, type WorkshopSnapshot } from "../../db/queries/workshops";
import type { WorkshopChange } from "../domain/workshops/access";
import type { Logger } from "../log";

export interface LiveSubscriber {
  participantId: number | null;
  guest: boolean;
  /** Writes one SSE frame; returns false if the stream is gone. */
  write(frame: string): boolean;
  /** Ends the stream (guest access ended, server closing). */
  end(): void;
}

export type PartKey = Exclude<PartName, "board"> | `board:${number}`;

interface Pending {
  parts: Set<PartKey>;
  mine: Set<number>;
  /** The workshop closed: after the closing state is sent, guests' streams end. */
  endGuests: boolean;
  scheduled: "now" | "soon" | null;
  timer: NodeJS.Timeout | null;
}

/** Ballots and presence are coalesced a little; facilitator changes go out at once. */
const SOON_MS = 100;

export function sseFrame(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

export class WorkshopHub {
  private subscribers = new Map<string, Set<LiveSubscriber>>();
  private onlineCounts = new Map<string, Map<number, number>>();
  private pending = new Map<string, Pending>();
  private queues = new Map<string, Promise<void>>();
  private closed = false;

  constructor(
    private readonly db: DB,
    private readonly log: Logger,
  ) {}

  /** Several nodes: participants whose page is open on another node, by the node it is on. */
  private remoteOnline = new Map<string, Map<number, Set<string>>>();
  private relayOnline: ((workshopId: string, participantId: number, online: boolean) => void) | null = null;

  online(workshopId: string): Set<number> {
    const ids = new Set(this.onlineCounts.get(workshopId)?.keys() ?? []);
    for (const id of this.remoteOnline.get(workshopId)?.keys() ?? []) ids.add(id);
    return ids;
  }

  /** Several nodes: this node's participants going online or offline are told to the others. */
  relayOnlineTo(relay: (workshopId: string, participantId: number, online: boolean) => void): void {
    this.relayOnline = relay;
  }

  /** Who is online here, for a node that just started. */
  localOnline(): { workshopId: string; participantIds: number[] }[] {
    return [...this.onlineCounts].map(([workshopId, counts]) => ({ workshopId, participantIds: [...counts.keys()] }));
  }

  /** A participant's page on another node opened (or its last one closed). */
  remoteOnlineChanged(node: string, workshopId: string, participantId: number, online: boolean): void {
    const wasOnline = this.online(workshopId).has(participantId);
    let byParticipant = this.remoteOnline.get(workshopId);
    if (!byParticipant) this.remoteOnline.set(workshopId, (byParticipant = new Map()));
    let nodes = byParticipant.get(participantId);
    if (!nodes) byParticipant.set(participantId, (nodes = new Set()));
    if (online) nodes.add(node);
    else nodes.delete(node);
    if (nodes.size === 0) byParticipant.delete(participantId);
    if (byParticipant.size === 0) this.remoteOnline.delete(workshopId);
    if (wasOnline !== this.online(workshopId).has(participantId)) this.markLocal(workshopId, ["participants"], [], "soon");
  }

  /** Another node stopped (or died): its participants are offline. */
  forgetNode(node: string): void {
    for (const [workshopId, byParticipant] of [...this.remoteOnline]) {
      for (const [participantId, nodes] of [...byParticipant]) {
        if (nodes.has(node)) this.remoteOnlineChanged(node, workshopId, participantId, false);
      }
    }
  }

  snapshot(workshopId: string, participantId: number | null): Promise<WorkshopSnapshot | null> {
    return readSnapshot(this.db, workshopId, participantId, this.online(workshopId));
  }

  /**
   * Every open page gets a whole snapshot again, as on its own reconnect: after this node could not
   * hear the others for a while (Redis away), changes they announced meanwhile were never heard.
   */
  resendSnapshots(): void {
    for (const [workshopId, subs] of this.subscribers) {
      this.enqueue(workshopId, async () => {
        for (const sub of [...subs]) {
          const snapshot = await this.snapshot(workshopId, sub.participantId);
          if (snapshot) sub.write(sseFrame("snapshot", { version: snapshot.version, serverNow: Date.now(), data: snapshot }));
        }
      });
    }
  }

  subscribe(workshopId: string, sub: LiveSubscriber): () => void {
    if (this.closed) {
      sub.end();
      return () => {};
    }
    let set = this.subscribers.get(workshopId);
    if (!set) this.subscribers.set(workshopId, (set = new Set()));
    set.add(sub);
    if (sub.participantId !== null) this.countOnline(workshopId, sub.participantId, +1);
    let done = false;
    return () => {
      if (done) return;
      done = true;
      set!.delete(sub);
      if (set!.size === 0) this.subscribers.delete(workshopId);
      if (sub.participantId !== null) this.countOnline(workshopId, sub.participantId, -1);
    };
  }

  private countOnline(workshopId: string, participantId: number, delta: number): void {
    let counts = this.onlineCounts.get(workshopId);
    if (!counts) this.onlineCounts.set(workshopId, (counts = new Map()));
    const before = counts.get(participantId) ?? 0;
    const after = before + delta;
    if (after <= 0) counts.delete(participantId);
    else counts.set(participantId, after);
    if (counts.size === 0) this.onlineCounts.delete(workshopId);
    if ((before === 0) !== (after <= 0)) {
      this.markLocal(workshopId, ["participants"], [], "soon");
      this.relayOnline?.(workshopId, participantId, after > 0);
    }
  }

  /** Tells open pages about a change a domain function reported. */
  changed(change: WorkshopChange): void {
    const parts: PartKey[] = change.parts.map((p) => (typeof p === "string" ? p : (`board:${p.board}` as const)));
    // A dot is one of many in a vote: coalesce. Everything else is a facilitator's (or one
    // person's) action that the room should see at once.
    this.mark(change.workshopId, parts, change.mine ?? [], change.mine?.length ? "soon" : "now", change.closed === true);
  }

  private relay: ((workshopId: string, parts: PartKey[], mine: number[], when: "now" | "soon", endGuests: boolean) => void) | null = null;

  /**
   * Several nodes (REDIS_URL): changes marked here also go to the other nodes, whose open pages
   * read the new state from the shared database. Who is online stays per node.
   */
  relayTo(relay: (workshopId: string, parts: PartKey[], mine: number[], when: "now" | "soon", endGuests: boolean) => void): void {
    this.relay = relay;
  }

  mark(workshopId: string, parts: PartKey[], mine: number[], when: "now" | "soon", endGuests = false): void {
    this.markLocal(workshopId, parts, mine, when, endGuests);
    this.relay?.(workshopId, parts, mine, when, endGuests);
  }

  /** For this node's pages only (a change another node marked, or one only this node knows). */
  markLocal(workshopId: string, parts: PartKey[], mine: number[], when: "now" | "soon", endGuests = false): void {
    if (this.closed) return;
    let p = this.pending.get(workshopId);
    if (!p) this.pending.set(workshopId, (p = { parts: new Set(), mine: new Set(), endGuests: false, scheduled: null, timer: null }));
    p.endGuests ||= endGuests;
    for (const part of parts) p.parts.add(part);
    for (const id of mine) p.mine.add(id);
    if (p.scheduled === "now") return;
    if (when === "now") {
      if (p.timer) clearTimeout(p.timer);
      p.timer = null;
      p.scheduled = "now";
      setImmediate(() => this.enqueue(workshopId, () => this.flush(workshopId)));
    } else if (p.scheduled === null) {
      p.scheduled = "soon";
      p.timer = setTimeout(() => this.enqueue(workshopId, () => this.flush(workshopId)), SOON_MS);
      p.timer.unref();
    }
  }

  private enqueue(workshopId: string, task: () => Promise<void>): void {
    const previous = this.queues.get(workshopId) ?? Promise.resolve();
    const next = previous.then(task).catch((err) => this.log.error({ err, workshopId }, "could not push workshop state"));
    this.queues.set(workshopId, next);
    void next.then(() => {
      if (this.queues.get(workshopId) === next) this.queues.delete(workshopId);
    });
  }

  private async flush(workshopId: string): Promise<void> {
    const p = this.pending.get(workshopId);
    if (!p) return;
    this.pending.delete(workshopId);
    if (p.timer) clearTimeout(p.timer);
    const subs = this.subscribers.get(workshopId);
    if (!subs || subs.size === 0) return;
    const frames: string[] = [];
    for (const key of p.parts) {
      const [part, item] = key.split(":") as [PartName, string | undefined];
      const read = await readPart(this.db, workshopId, part, {
        itemId: item ? Number(item) : undefined,
        online: this.online(workshopId),
      });
      if (!read) continue;
      frames.push(sseFrame(part, { version: read.version, serverNow: Date.now(), data: read.data }));
    }
    const mineFrames = new Map<number, string>();
    if (p.mine.size) {
      const { version, mine } = await readMineMany(this.db, workshopId, [...p.mine]);
      const serverNow = Date.now();
      for (const [participantId, data] of mine) mineFrames.set(participantId, sseFrame("mine", { version, serverNow, data }));
    }
    const shared = frames.join("");
    for (const sub of [...subs]) {
      const own = sub.participantId !== null ? (mineFrames.get(sub.participantId) ?? "") : "";
      if (shared || own) sub.write(shared + own);
      if (p.endGuests && sub.guest) sub.end();
    }
  }

  /** Server shutdown: pages reconnect to the next process and get the state from SQLite. */
  close(): void {
    this.closed = true;
    for (const p of this.pending.values()) if (p.timer) clearTimeout(p.timer);
    this.pending.clear();
    for (const subs of this.subscribers.values()) for (const sub of [...subs]) sub.end();
    this.subscribers.clear();
  }

  stats(): { workshops: number; streams: number } {
    let streams = 0;
    for (const s of this.subscribers.values()) streams += s.size;
    return { workshops: this.subscribers.size, streams };
  }
}
