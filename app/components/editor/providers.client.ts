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

/** Lexical's CollaborationPlugin wants the doc in its map under `id` and a provider not yet connected. */
export function createProvider(id: string, yjsDocMap: Map<string, Y.Doc>): WebsocketProvider {
  let doc = yjsDocMap.get(id);
  if (!doc) {
    doc = new Y.Doc();
    yjsDocMap.set(id, doc);
  } else {
    doc.load();
  }
  const previous = providers.get(id);
  if (previous) previous.destroy();
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

export function releaseProvider(id: string, provider: WebsocketProvider) {
  if (providers.get(id) === provider) {
    providers.delete(id);
    notify();
  }
}
