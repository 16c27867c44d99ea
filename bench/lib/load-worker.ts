/**
 * One load-generator process (forked by room-load.ts). It opens its share of the clients,
 * runs the schedule it is given (edits and presence at fixed rates, random phase per client),
 * and reports what was sent and received. Messages over the IPC channel:
 *   in:  init {spec, clients}, start {at, durationMs, editsPerSecond, presencePerSecond},
 *        finalClocks, expect {clocks}, report, exit
 *   out: ready, finalClocks {clocks}, converged {count}, report {...}, error {message}
 */
import * as Y from "yjs";
import { LightClient, OfficialClient, type ClientSpec, type LoadClient } from "./clients";
import { wallClockMs } from "./measure";

interface InitMessage {
  type: "init";
  spec: Omit<ClientSpec, "headers">;
  clients: { headers: Record<string, string>; official: boolean }[];
}

// Each y-websocket provider adds a process "exit" listener.
process.setMaxListeners(0);

let clients: LoadClient[] = [];
let expected: Map<number, number> | null = null;
const timers: NodeJS.Timeout[] = [];
let cpuAtStart: NodeJS.CpuUsage | null = null;
let cpuAtEnd: NodeJS.CpuUsage | null = null;

function send(message: unknown) {
  process.send?.(message);
}

async function init(msg: InitMessage) {
  clients = msg.clients.map((c) => {
    const spec = { ...msg.spec, headers: c.headers };
    return c.official ? new OfficialClient(spec) : new LightClient(spec);
  });
  // Connect in small waves, as people arriving at a meeting would, not all in one instant.
  for (let i = 0; i < clients.length; i += 20) {
    await Promise.all(clients.slice(i, i + 20).map((c) => c.connect()));
  }
  send({ type: "ready", count: clients.length });
}

function start(msg: { at: number; durationMs: number; editsPerSecond: number; presencePerSecond: number }) {
  const end = msg.at + msg.durationMs;
  const schedule = (perSecond: number, act: (c: LoadClient) => void) => {
    if (perSecond <= 0) return;
    const interval = 1000 / perSecond;
    for (const client of clients) {
      let next = msg.at + Math.random() * interval;
      const tick = () => {
        if (next >= end) return;
        act(client);
        next += interval;
        timers.push(setTimeout(tick, Math.max(0, next - wallClockMs())));
      };
      timers.push(setTimeout(tick, Math.max(0, next - wallClockMs())));
    }
  };
  timers.push(setTimeout(() => (cpuAtStart = process.cpuUsage()), Math.max(0, msg.at - wallClockMs())));
  timers.push(setTimeout(() => (cpuAtEnd = process.cpuUsage()), Math.max(0, end - wallClockMs())));
  schedule(msg.editsPerSecond, (c) => c.edit());
  schedule(msg.presencePerSecond, (c) => c.presence());
}

function convergedCount(): number {
  if (!expected) return 0;
  let n = 0;
  for (const c of clients) {
    const got = c.receivedClocks();
    let ok = true;
    for (const [client, clock] of expected) {
      if (client !== c.clientId && (got.get(client) ?? 0) < clock) {
        ok = false;
        break;
      }
    }
    if (ok) n++;
  }
  return n;
}

function report() {
  const cpu = cpuAtStart && cpuAtEnd ? (cpuAtEnd.user - cpuAtStart.user + cpuAtEnd.system - cpuAtStart.system) / 1e6 : NaN;
  let messages = 0;
  let bytes = 0;
  const out = clients.map((c) => {
    if (c instanceof LightClient) {
      messages += c.messages;
      bytes += c.bytes;
    }
    return {
      clientId: c.clientId,
      official: c.official,
      sent: c.sent,
      received: Object.fromEntries(c.receivedClocks()),
      // Official clients time every remote change they integrate.
      times: c instanceof OfficialClient ? Object.fromEntries(c.received) : null,
      text: c instanceof OfficialClient ? c.content() : null,
      stateVector: c instanceof OfficialClient ? Buffer.from(Y.encodeStateVector(c.doc)).toString("base64") : null,
    };
  });
  send({ type: "report", clients: out, cpuSeconds: cpu, messages, bytes });
}

process.on("message", (msg: { type: string; [k: string]: unknown }) => {
  try {
    switch (msg.type) {
      case "init":
        init(msg as unknown as InitMessage).catch((error) => send({ type: "error", message: String(error) }));
        break;
      case "start":
        start(msg as never);
        break;
      case "finalClocks":
        send({ type: "finalClocks", clocks: clients.map((c) => [c.clientId, c.sent.length]) });
        break;
      case "expect":
        expected = new Map(msg.clocks as [number, number][]);
        send({ type: "converged", count: convergedCount() });
        break;
      case "converged":
        send({ type: "converged", count: convergedCount() });
        break;
      case "report":
        report();
        break;
      case "exit":
        for (const t of timers) clearTimeout(t);
        for (const c of clients) c.close();
        setTimeout(() => process.exit(0), 50);
        break;
    }
  } catch (error) {
    send({ type: "error", message: String(error) });
  }
});
