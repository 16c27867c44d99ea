/**
 * Load clients for the sync benchmarks.
 *
 * - OfficialClient: the official provider (y-websocket 3.x for ours and the reference server,
 *   @hocuspocus/provider for Hocuspocus) with a full Y.Doc. These measure propagation latency:
 *   every remote change they integrate is timed per (client, clock).
 * - LightClient: a hand-written socket that sends real Yjs updates from its own small Y.Doc and
 *   real presence entries, and reads what it receives only far enough to know which changes
 *   arrived (client id and clock range), so hundreds of them fit in the load generator.
 *
 * Every client types at the end of its own paragraph (origin = its previous character), which is
 * how typing looks to Yjs and keeps integration linear. The paragraph is laid out as Lexical's
 * binding writes one (ownParagraph), since our server refuses updates the editor could not read.
 */
import { HocuspocusProvider, HocuspocusProviderWebsocket } from "@hocuspocus/provider";
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import { WebSocket } from "ws";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import type { ServerKind } from "./servers";
import { wallClockMs } from "./measure";
import { RawWebSocket, updateRanges } from "./raw-socket";

export interface ClientSpec {
  kind: ServerKind;
  providerUrl: string;
  socketUrl: string;
  docName: string;
  headers: Record<string, string>;
}

const LETTERS = "abcdefghijklmnopqrstuvwxyz";

/** The root XmlText of Lexical's Yjs binding (server/documents/lexical-shape.ts). */
export const LEXICAL_ROOT = "root";

/**
 * A paragraph of this client's own, with one text node, appended to the editor's root: a few
 * clocks of set-up made before the load, so that afterwards every edit is one character and one
 * clock. Typing at its end (`insert(p.length, …)`) extends that text node.
 */
export function ownParagraph(doc: Y.Doc): Y.XmlText {
  const root = doc.get(LEXICAL_ROOT, Y.XmlText) as Y.XmlText;
  const paragraph = new Y.XmlText();
  doc.transact(() => {
    root.insertEmbed(root.length, paragraph);
    paragraph.setAttribute("__type", "paragraph");
    const text = new Y.Map<unknown>();
    paragraph.insertEmbed(0, text);
    text.set("__type", "text");
  });
  return paragraph;
}

/** How many characters were typed into the first paragraph ownParagraph made in `doc`. */
export function typedLength(doc: Y.Doc): number {
  const first = (doc.get(LEXICAL_ROOT, Y.XmlText) as Y.XmlText).toDelta()[0]?.insert;
  // The paragraph's first embed is its text node; the characters follow it.
  return first instanceof Y.XmlText ? Math.max(0, first.length - 1) : 0;
}

function socketClass(headers: Record<string, string>) {
  return class extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, { headers });
    }
  };
}

export interface LoadClient {
  readonly clientId: number;
  readonly official: boolean;
  /** Send time (wall clock ms) of each own change, indexed by its clock. */
  readonly sent: number[];
  connect(): Promise<void>;
  edit(): void;
  presence(): void;
  /** Highest clock seen per other client (exclusive end), from what was received. */
  receivedClocks(): Map<number, number>;
  close(): void;
}

/** The official provider, timing every remote change it integrates. */
export class OfficialClient implements LoadClient {
  readonly official = true;
  readonly doc = new Y.Doc();
  readonly sent: number[] = [];
  /** Receive time per (client, clock). */
  readonly received = new Map<number, number[]>();
  private readonly paragraph = ownParagraph(this.doc);
  private provider: WebsocketProvider | HocuspocusProvider | null = null;
  private cursor = 0;

  constructor(private readonly spec: ClientSpec) {
    this.doc.on("afterTransaction", (tr: Y.Transaction) => {
      if (tr.local) return;
      const now = wallClockMs();
      tr.afterState.forEach((clock, client) => {
        const before = tr.beforeState.get(client) ?? 0;
        if (clock <= before || client === this.doc.clientID) return;
        let times = this.received.get(client);
        if (!times) this.received.set(client, (times = []));
        for (let k = before; k < clock; k++) if (times[k] === undefined) times[k] = now;
      });
    });
  }

  get clientId() {
    return this.doc.clientID;
  }

  connect(): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("official client did not sync in 30 s")), 30_000);
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      if (this.spec.kind === "hocuspocus") {
        const websocketProvider = new HocuspocusProviderWebsocket({
          url: this.spec.providerUrl,
          WebSocketPolyfill: socketClass(this.spec.headers),
        });
        const provider = new HocuspocusProvider({
          websocketProvider,
          name: this.spec.docName,
          document: this.doc,
          onSynced: ({ state }) => state && done(),
        });
        provider.attach();
        this.provider = provider;
      } else {
        const provider = new WebsocketProvider(this.spec.providerUrl, this.spec.docName, this.doc, {
          WebSocketPolyfill: socketClass(this.spec.headers) as unknown as typeof globalThis.WebSocket,
          disableBc: true,
          maxBackoffTime: 1000,
        });
        provider.on("sync", (synced: boolean) => synced && done());
        this.provider = provider;
      }
    });
  }

  edit(): void {
    const clock = Y.getState(this.doc.store, this.doc.clientID);
    this.sent[clock] = wallClockMs();
    this.paragraph.insert(this.paragraph.length, LETTERS[clock % 26]);
  }

  /** The whole text as Yjs holds it, for comparing clients. */
  content(): string {
    return this.doc.get(LEXICAL_ROOT, Y.XmlText).toString();
  }

  presence(): void {
    const awareness = this.provider?.awareness;
    if (!awareness) return;
    this.cursor++;
    awareness.setLocalStateField("cursor", { anchor: this.cursor, head: this.cursor + 1 });
  }

  receivedClocks(): Map<number, number> {
    const out = new Map<number, number>();
    this.doc.store.clients.forEach((_structs, client) => {
      if (client !== this.doc.clientID) out.set(client, Y.getState(this.doc.store, client));
    });
    return out;
  }

  close(): void {
    if (this.provider instanceof HocuspocusProvider) {
      this.provider.configuration.websocketProvider.destroy();
    }
    this.provider?.destroy();
    this.doc.destroy();
  }
}

const MESSAGE_SYNC = 0;
const MESSAGE_AWARENESS = 1;
const MESSAGE_AUTH = 2;

/** A scripted client speaking the y-websocket (or Hocuspocus) protocol with real Yjs updates. */
export class LightClient implements LoadClient {
  readonly official = false;
  readonly sent: number[] = [];
  readonly clientId: number;
  messages = 0;
  bytes = 0;
  private readonly doc = new Y.Doc();
  private readonly paragraph = ownParagraph(this.doc);
  private socket: RawWebSocket | null = null;
  private readonly clocks = new Map<number, number>();
  private presenceClock = 0;
  private cursor = 0;
  private readonly hocuspocus: boolean;
  private readonly prefix: Uint8Array;

  constructor(private readonly spec: ClientSpec) {
    this.clientId = this.doc.clientID;
    this.hocuspocus = spec.kind === "hocuspocus";
    const e = encoding.createEncoder();
    if (this.hocuspocus) encoding.writeVarString(e, spec.docName);
    this.prefix = encoding.toUint8Array(e);
    this.doc.on("update", (update: Uint8Array) => this.sendSync(2, update));
  }

  private frame(write: (e: encoding.Encoder) => void): Uint8Array {
    const e = encoding.createEncoder();
    encoding.writeUint8Array(e, this.prefix);
    write(e);
    return encoding.toUint8Array(e);
  }

  private sendSync(type: number, payload: Uint8Array): void {
    if (!this.socket?.isOpen) return;
    this.socket.send(
      this.frame((e) => {
        encoding.writeVarUint(e, MESSAGE_SYNC);
        encoding.writeVarUint(e, type);
        encoding.writeVarUint8Array(e, payload);
      }),
    );
  }

  connect(): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("light client did not sync in 30 s")), 30_000);
      let synced = false;
      const socket = new RawWebSocket({
        url: this.spec.socketUrl,
        headers: this.spec.headers,
        onClose: () => {},
        onMessage: (payload) => {
          this.messages++;
          this.bytes += payload.length;
          const d = decoding.createDecoder(payload);
          d.pos = this.prefix.length;
          const type = decoding.readVarUint(d);
          if (type !== MESSAGE_SYNC) return;
          const sub = decoding.readVarUint(d);
          const len = decoding.readVarUint(d);
          const update = payload.subarray(d.pos, d.pos + len);
          if (sub === 0) {
            // The server's sync-step-1: answer with what it lacks of ours (nothing, at first).
            this.sendSync(1, Y.encodeStateAsUpdate(this.doc, update));
            return;
          }
          updateRanges(update, (client, end) => {
            if (client !== this.clientId && end > (this.clocks.get(client) ?? 0)) this.clocks.set(client, end);
          });
          if (sub === 1 && !synced) {
            synced = true;
            clearTimeout(timer);
            resolve();
          }
        },
      });
      this.socket = socket;
      socket.connect().then(
        () => {
          if (this.hocuspocus) {
            socket.send(
              this.frame((e) => {
                encoding.writeVarUint(e, MESSAGE_AUTH);
                encoding.writeVarUint(e, 0);
                encoding.writeVarString(e, "");
              }),
            );
          }
          this.sendSync(0, Y.encodeStateVector(this.doc));
          this.presence();
        },
        (error) => {
          clearTimeout(timer);
          reject(error);
        },
      );
    });
  }

  edit(): void {
    const clock = Y.getState(this.doc.store, this.doc.clientID);
    this.sent[clock] = wallClockMs();
    this.paragraph.insert(this.paragraph.length, LETTERS[clock % 26]);
  }

  presence(): void {
    if (!this.socket?.isOpen) return;
    this.presenceClock++;
    this.cursor++;
    const state = JSON.stringify({ cursor: { anchor: this.cursor, head: this.cursor + 1 }, user: { name: "load" } });
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint(e, this.clientId);
    encoding.writeVarUint(e, this.presenceClock);
    encoding.writeVarString(e, state);
    const update = encoding.toUint8Array(e);
    this.socket.send(
      this.frame((f) => {
        encoding.writeVarUint(f, MESSAGE_AWARENESS);
        encoding.writeVarUint8Array(f, update);
      }),
    );
  }

  receivedClocks(): Map<number, number> {
    return new Map(this.clocks);
  }

  close(): void {
    this.socket?.terminate();
    this.doc.destroy();
  }
}
