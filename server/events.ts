import { EventEmitter } from "node:events";

/**
 * Facts of record changed (ownership, later comments, votes...). Pages subscribe per plan over
 * Server-Sent Events and reload their data: the record stays in SQL, only the nudge is pushed.
 */
export interface PlanEvent {
  planId: string;
  kind:
    | "ownership"
    | "action"
    | "plan"
    | "comment"
    | "power_sharing"
    | "agreement"
    | "suggestion"
    | "progress"
    | "milestone"
    | "version"
    /** Nothing in particular: what changed may have been missed (see refreshAll). */
    | "refresh";
  actionId?: string;
  /** For kind "comment": the thread that changed. */
  threadId?: string;
  actorName?: string;
  summary: string;
}

export class PlanEvents {
  private emitter = new EventEmitter();

  constructor() {
    // One listener per open page: many is normal, not a leak.
    this.emitter.setMaxListeners(0);
  }

  private relay: ((event: PlanEvent) => void) | null = null;
  private readonly counts = new Map<string, number>();

  /** How many events of this plan this node has delivered: changes with every fact-of-record change. */
  count(planId: string): number {
    return this.counts.get(planId) ?? 0;
  }

  /** Several nodes (REDIS_URL): events published here also go to the others through `relay`. */
  relayTo(relay: (event: PlanEvent) => void): void {
    this.relay = relay;
  }

  publish(event: PlanEvent): void {
    this.deliver(event);
    this.relay?.(event);
  }

  /** To this node's own subscribers only (an event another node published). */
  deliver(event: PlanEvent): void {
    // Before anyone hears of it: a read that follows this event must not share one begun before it.
    this.counts.set(event.planId, this.count(event.planId) + 1);
    this.emitter.emit(`plan:${event.planId}`, event);
  }

  /**
   * Every page open on this node reloads its data: after this node could not hear the others for a
   * while (Redis away), the changes they announced meanwhile were never heard.
   */
  refreshAll(summary: string): void {
    for (const key of this.emitter.eventNames()) {
      if (typeof key === "string" && key.startsWith("plan:")) this.deliver({ planId: key.slice(5), kind: "refresh", summary });
    }
  }

  subscribe(planId: string, listener: (event: PlanEvent) => void): () => void {
    const key = `plan:${planId}`;
    this.emitter.on(key, listener);
    return () => this.emitter.off(key, listener);
  }
}
