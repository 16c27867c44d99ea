import { clearDocument, IndexeddbPersistence } from "y-indexeddb";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";

/**
 * Every y-websocket provider on the page, by document id, so page-level UI (who is here,
 * connection state) can read them without each editor passing props upwards.
 */
const providers = new Map<string, WebsocketProvider>();
const listeners = new Set<() => void>();

function notify() {
  for (const l of listeners) l();
}

export function subscribeProviders(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function allProviders(): WebsocketProvider[] {
  return [...providers.values()];
}

function syncUrl(): string {
  return `${window.location.protocol === "https:" ? "wss" : "ws"}://${window.location.host}/sync`;
}

export interface ProviderOptions {
  /** Whose browser store to use: each person's offline edits are kept apart (shared laptops). */
  userId?: number;
  /**
   * Only people who may edit keep the document in this browser (IndexedDB): their offline edits
   * survive a closed tab and are sent on reconnect. For everyone else any store left from an
   * earlier session is deleted, so nothing local can ever be replayed in their name.
   */
  editable?: boolean;
}

/** Browser store name of a document for a person. */
export function offlineStoreName(userId: number, id: string): string {
  return `codesign:u${userId}:${id}`;
}

const persistences = new Map<string, IndexeddbPersistence>();

/** Lexical's CollaborationPlugin wants the doc in its map under `id` and a provider not yet connected. */
export function createProvider(id: string, yjsDocMap: Map<string, Y.Doc>, options: ProviderOptions = {}): WebsocketProvider {
  let doc = yjsDocMap.get(id);
  if (!doc) {
    doc = new Y.Doc();
    yjsDocMap.set(id, doc);
  } else {
    doc.load();
  }
  const previous = providers.get(id);
  if (previous) previous.destroy();
  const previousStore = persistences.get(id);
  if (previousStore) {
    persistences.delete(id);
    void previousStore.destroy();
  }
  if (options.userId !== undefined && typeof indexedDB !== "undefined") {
    const name = offlineStoreName(options.userId, id);
    if (options.editable) persistences.set(id, new IndexeddbPersistence(name, doc));
    else void clearDocument(name);
  }
  const provider = new WebsocketProvider(syncUrl(), id, doc, { connect: false });
  providers.set(id, provider);
  const onChange = () => notify();
  provider.on("status", onChange);
  provider.on("sync", (synced: boolean) => {
    // Back in step: an old close reason no longer describes anything.
    if (synced) closedReasons.delete(id);
    notify();
  });
  provider.on("connection-close", (event) => {
    const next = event ? { code: event.code, reason: event.reason } : null;
    const previous = closedReasons.get(id);
    // Reconnect attempts while the server is down fail with 1006 and no reason; the server's own
    // reason for closing ("restarting, your changes are saved") is the one worth showing.
    closedReasons.set(id, next && !next.reason && previous?.reason ? previous : next);
    notify();
  });
  provider.awareness.on("change", onChange);
  notify();
  return provider;
}

const closedReasons = new Map<string, { code: number; reason: string } | null>();

export function lastClose(id: string) {
  return closedReasons.get(id) ?? null;
}

// The browser says the network is gone: close the sockets now rather than wait up to 30 s for
// y-websocket to notice (open sockets may otherwise linger), keep editing locally, and reconnect
// (merging both ways) as soon as the browser is back online.
let offline = typeof navigator !== "undefined" && navigator.onLine === false;

export function isOffline(): boolean {
  return offline;
}

if (typeof window !== "undefined") {
  window.addEventListener("offline", () => {
    offline = true;
    for (const p of providers.values()) p.disconnect();
    notify();
  });
  window.addEventListener("online", () => {
    offline = false;
    for (const p of providers.values()) p.connect();
    notify();
  });
}

export function releaseProvider(id: string, provider: WebsocketProvider) {
  if (providers.get(id) === provider) {
    providers.delete(id);
    notify();
  }
}
