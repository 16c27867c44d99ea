/**
 * Nudges between nodes over one Redis pub/sub channel: plan events and workshop changes for the
 * Server-Sent Event streams open on other nodes, and "access changed" / "session ended" for
 * their sync sockets. Each is only a nudge: the facts are in the database, which every node
 * reads when it acts on one. Nudges sent while a node is cut off from Redis are lost, so when its
 * subscriber is back the node acts as if everything changed (server/cluster/index.ts): its open
 * plan pages reload, workshop pages get a whole snapshot, and every socket's access is re-checked.
 * A session ended meanwhile on another node keeps its sockets here until they reconnect.
 */
import type { AccessScope } from "../sync/types";
import type { RedisConnections } from "./redis";

export type ClusterEvent =
  | { kind: "plan"; event: unknown }
  | { kind: "workshop"; workshopId: string; parts: string[]; mine: number[]; when: "now" | "soon"; endGuests: boolean }
  | { kind: "online"; workshopId: string; participantIds: number[]; online: boolean }
  | { kind: "online-query" }
  | { kind: "access"; scope: AccessScope | null }
  | { kind: "close-session"; sessionHash: string; reason: string }
  | { kind: "close-user"; userId: number; reason: string; exceptSessionHash: string | null };


export class EventBus {
  private readonly channel: string;
  private readonly handlers = new Set<(event: ClusterEvent, node: string) => void>();

  constructor(
    private readonly redis: RedisConnections,
    private readonly onError: (error: unknown) => void,
  ) {
    this.channel = `${redis.prefix}events`;
    redis.subscriber.subscribe(this.channel).catch(() => {});
    redis.subscriber.on("message", (channel: string, message: string) => {
      if (channel !== this.channel) return;
      let parsed: { n: string; e: ClusterEvent };
      try {
        parsed = JSON.parse(message) as { n: string; e: ClusterEvent };
      } catch {
        return;
      }
      if (parsed.n === redis.nodeId) return;
      for (const handler of this.handlers) {
        try {
          handler(parsed.e, parsed.n);
        } catch (error) {
          this.onError(error);
        }
      }
    });
  }

  /** To the other nodes (this node acts on it itself, directly). */
  publish(event: ClusterEvent): void {
    this.redis.command.publish(this.channel, JSON.stringify({ n: this.redis.nodeId, e: event })).catch(this.onError);
  }

  subscribe(handler: (event: ClusterEvent, node: string) => void): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }
}
