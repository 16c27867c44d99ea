/**
 * The collaboration server: the y-websocket protocol over `ws`, with the workspace's sessions,
 * plan rights and durability rules. See sync-server.ts for the wiring.
 */
export type { SyncAccess, SyncLog, SyncObserver, SyncPrincipal, SyncServer, SyncServerOptions } from "./types";
export { createSyncServer } from "./sync-server";
export { authorizeDocument } from "./access";
export { presenceColour, PRESENCE_COLOURS } from "../presence-colours";
