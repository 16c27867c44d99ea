import { WebSocket as WsWebSocket } from "ws";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";

export interface Client {
  doc: Y.Doc;
  provider: WebsocketProvider;
  closed: Promise<{ code: number; reason: string }>;
  destroy(): void;
}

/** A ws WebSocket that sends the cookie and Origin a browser would, as the provider cannot. */
function socketClass(headers: Record<string, string>) {
  return class extends WsWebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, { headers });
    }
  } as unknown as typeof WebSocket;
}

/** The official y-websocket provider in Node, with BroadcastChannel off so only the server syncs. */
export function connectClient(baseUrl: string, docId: string, cookie: string, origin = baseUrl, doc = new Y.Doc()): Client {
  const wsUrl = baseUrl.replace(/^http/, "ws") + "/sync";
  const provider = new WebsocketProvider(wsUrl, docId, doc, {
    WebSocketPolyfill: socketClass({ cookie, origin }),
    disableBc: true,
    maxBackoffTime: 300,
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    provider.on("connection-close", (event) => {
      if (event) resolve({ code: event.code, reason: event.reason });
    });
  });
  return {
    doc,
    provider,
    closed,
    destroy() {
      provider.destroy();
      doc.destroy();
    },
  };
}

export function waitForSync(client: Client, timeoutMs = 10_000): Promise<void> {
  if (client.provider.synced) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not synced within ${timeoutMs} ms`)), timeoutMs);
    const onSync = (synced: boolean) => {
      if (!synced) return;
      clearTimeout(timer);
      client.provider.off("sync", onSync);
      resolve();
    };
    client.provider.on("sync", onSync);
  });
}

/** Polls until `check` passes (`read` may be async, e.g. a query); the failure message says what was last seen. */
export async function eventually<T>(read: () => T | Promise<T>, check: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = await read();
  while (!check(last)) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 25));
    last = await read();
  }
  return last;
}
