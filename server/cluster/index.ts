/**
 * Several app nodes serving one workspace: REDIS_URL set. Without it none of this is created and
 * the process behaves as a single node. See server/cluster/README.md for the decisions.
 */
import type { DB } from "../../db/connection";
import type { PlanEvent, PlanEvents } from "../events";
import type { SyncLog, SyncServer } from "../sync/types";
import type { PartKey, WorkshopHub } from "../workshops/live-hub";
import { DocumentBus } from "./document-bus";
import { EventBus } from "./event-bus";
import { connectRedis, type RedisConnections } from "./redis";

export { DocumentBus } from "./document-bus";
export { EventBus } from "./event-bus";
export type { RedisConnections } from "./redis";

export interface Cluster {
  redis: RedisConnections;
  documents: DocumentBus;
  events: EventBus;
  /** Plan events, workshop changes and sync re-checks of this node go to the others, and theirs come here. */
  join(parts: { planEvents: PlanEvents; workshops: WorkshopHub; sync: SyncServer }): SyncServer;
  close(): Promise<void>;
}

export function createCluster(opts: { url: string; prefix: string; db: DB; log: SyncLog; catchUpMs?: number }): Cluster {
  const redis = connectRedis(opts.url, opts.prefix);
  const documents = new DocumentBus({ redis, db: opts.db, log: opts.log, catchUpMs: opts.catchUpMs });
  const events = new EventBus(redis, (error) => opts.log("warn", "cluster event not delivered", { error: String(error) }));
  const unsubscribers: (() => void)[] = [];
  return {
    redis,
    documents,
    events,
    join({ planEvents, workshops, sync }) {
      planEvents.relayTo((event) => events.publish({ kind: "plan", event }));
      workshops.relayTo((workshopId, parts, mine, when, endGuests) =>
        events.publish({ kind: "workshop", workshopId, parts, mine, when, endGuests }),
      );
      // Who is online in a workshop: each node tells the others about its own pages.
      workshops.relayOnlineTo((workshopId, participantId, online) =>
        events.publish({ kind: "online", workshopId, participantIds: [participantId], online }),
      );
      documents.onNodeGone = (node) => workshops.forgetNode(node);
      unsubscribers.push(
        events.subscribe((e, node) => {
          switch (e.kind) {
            case "online":
              for (const id of e.participantIds) workshops.remoteOnlineChanged(node, e.workshopId, id, e.online);
              break;
            case "online-query":
              for (const { workshopId, participantIds } of workshops.localOnline()) {
                events.publish({ kind: "online", workshopId, participantIds, online: true });
              }
              break;
            case "plan":
              planEvents.deliver(e.event as PlanEvent);
              break;
            case "workshop":
              workshops.markLocal(e.workshopId, e.parts as PartKey[], e.mine, e.when, e.endGuests);
              break;
            case "access": {
              const scope = e.scope;
              const docs = scope?.documentIds ? new Set(scope.documentIds) : null;
              void sync
                .refreshAccess(
                  (p, documentId) =>
                    (docs === null || docs.has(documentId)) &&
                    (scope?.userId === undefined || p.userId === scope.userId) &&
                    (scope?.organisationId === undefined || p.organisationId === scope.organisationId),
                )
                .catch((error) => opts.log("error", "could not re-check sync access for another node", { error: String(error) }));
              break;
            }
            case "close-session":
              sync.closeSession(e.sessionHash, e.reason);
              break;
            case "close-user":
              sync.closeUser(e.userId, e.reason, e.exceptSessionHash);
              break;
          }
        }),
      );
      // A node that (re)connects asks who is online elsewhere, once it can hear the answers.
      const askWhoIsOnline = () => {
        const ask = () => events.publish({ kind: "online-query" });
        setTimeout(() => (redis.command.status === "ready" ? ask() : redis.command.once("ready", ask)), 100).unref();
      };
      redis.subscriber.on("ready", askWhoIsOnline);
      if (redis.subscriber.status === "ready") askWhoIsOnline();
      // Pub/sub keeps nothing: nudges the other nodes sent while this one was disconnected are gone.
      // Back on Redis, act as if everything changed: open pages re-read what they show and every
      // socket's access is checked again (the facts are in the database).
      let heardBefore = redis.subscriber.status === "ready";
      redis.subscriber.on("ready", () => {
        if (!heardBefore) {
          heardBefore = true;
          return;
        }
        opts.log("info", "back on Redis: refreshing open pages and re-checking sync access");
        planEvents.refreshAll("The plan was brought up to date.");
        workshops.resendSnapshots();
        void sync.refreshAccess(() => true).catch((error) => opts.log("error", "could not re-check sync access after a Redis outage", { error: String(error) }));
      });
      // The same sync server, except that ending sessions and re-checking access reach every node.
      return {
        ...sync,
        closeSession(sessionHash, reason) {
          sync.closeSession(sessionHash, reason);
          events.publish({ kind: "close-session", sessionHash, reason });
        },
        closeUser(userId, reason, exceptSessionHash = null) {
          events.publish({ kind: "close-user", userId, reason, exceptSessionHash });
          return sync.closeUser(userId, reason, exceptSessionHash);
        },
        async refreshAccess(filter, scope) {
          events.publish({ kind: "access", scope: scope ?? null });
          await sync.refreshAccess(filter);
        },
      };
    },
    async close() {
      for (const u of unsubscribers) u();
      await documents.close();
      await redis.close();
    },
  };
}
