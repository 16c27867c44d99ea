/**
 * Two app nodes, one database, one Redis (issue 11): documents converge across nodes, nothing a
 * client on another node received is lost when a node is killed, losing Redis's data and
 * connections mid-burst loses nothing, and presence crosses nodes and leaves with its connection
 * or its node. Needs `npm run build` and a Redis server (TEST_REDIS_URL, default 127.0.0.1:6379).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { readParagraphs, replaceContent } from "../../server/documents/lexical-content";
import { ACCOUNTS, login, PLAN_ID, reopenSeededPlan } from "../helpers/app-server";
import { typingParagraph } from "../helpers/bad-documents";
import { startCluster, type TestCluster } from "../helpers/cluster";
import { connectClient, eventually, waitForSync, type Client } from "../helpers/yjs-client";

const DOC_ID = "doc-act-p-bgi-1-3";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let cluster: TestCluster;
let clients: Client[] = [];
const cookies = new Map<string, string>();

async function cookieFor(node: number, email: string): Promise<string> {
  // Sessions are rows in the shared database: one made on node 0 is valid on node 1.
  const key = email;
  if (!cookies.has(key)) cookies.set(key, await login(cluster.nodes[node].url, email));
  return cookies.get(key)!;
}

function client(node: number, cookie: string, doc = DOC_ID): Client {
  const c = connectClient(cluster.nodes[node].url, doc, cookie);
  clients.push(c);
  return c;
}

function sameState(a: Y.Doc, b: Y.Doc): boolean {
  return Buffer.from(Y.encodeStateVector(a)).equals(Buffer.from(Y.encodeStateVector(b))) && readParagraphs(a).join("\n") === readParagraphs(b).join("\n");
}

/** Redis as if restarted: this cluster's keys gone and its connections dropped (the server is shared with others). */
async function loseRedis(): Promise<void> {
  let cursor = "0";
  do {
    const [next, keys] = await cluster.redis.scan(cursor, "MATCH", `${cluster.prefix}*`, "COUNT", 500);
    cursor = next;
    if (keys.length) await cluster.redis.del(...keys);
  } while (cursor !== "0");
  const list = (await cluster.redis.client("LIST")) as string;
  const ours = list
    .split("\n")
    .filter((line) => line.includes(` name=${cluster.prefix}`))
    .map((line) => /(?:^|\s)id=(\d+)/.exec(line)?.[1])
    .filter((id): id is string => !!id);
  for (const id of ours) await cluster.redis.client("KILL", "ID", id).catch(() => {});
  expect(ours.length).toBeGreaterThanOrEqual(6);
}

beforeAll(async () => {
  cluster = await startCluster("documents");
  await reopenSeededPlan(cluster.nodes[0].url);
}, 120_000);

afterAll(async () => {
  for (const c of clients) c.destroy();
  await cluster?.stop();
}, 60_000);

describe("two nodes, one document", () => {
  it("(a) converges: clients on both nodes end with equal state vectors and content after concurrent edits", async () => {
    const sarah = await cookieFor(0, ACCOUNTS.councilEditor);
    const rahul = await cookieFor(0, ACCOUNTS.nhsEditor);
    const a1 = client(0, sarah);
    const a2 = client(0, rahul);
    const b1 = client(1, sarah);
    const b2 = client(1, rahul);
    await Promise.all([a1, a2, b1, b2].map((c) => waitForSync(c)));
    // One paragraph everyone types into (created once, so not four times concurrently).
    typingParagraph(a1.doc).insert(0, "S");
    await eventually(() => [a2, b1, b2].every((c) => typingParagraph(c.doc).toString() === "S"), (ok) => ok);
    // Everyone types at once, on both nodes.
    for (let i = 0; i < 40; i++) {
      for (const [k, c] of [a1, a2, b1, b2].entries()) {
        const p = typingParagraph(c.doc);
        p.insert(Math.floor(Math.random() * (p.length + 1)), String.fromCharCode(97 + k));
      }
      if (i % 5 === 0) await sleep(10);
    }
    await eventually(
      () => [a1, a2, b1, b2].map((c) => typingParagraph(c.doc).length),
      (lengths) => lengths.every((n) => n === 1 + 160),
      10_000,
    );
    await eventually(() => sameState(a1.doc, b1.doc) && sameState(a2.doc, b2.doc) && sameState(a1.doc, b2.doc), (ok) => ok, 10_000);
    const text = typingParagraph(a1.doc).toString();
    for (const c of [a2, b1, b2]) expect(typingParagraph(c.doc).toString()).toBe(text);
    // A client that joins later, on either node, gets the same document.
    const late = client(1, rahul);
    await waitForSync(late);
    await eventually(() => sameState(late.doc, a1.doc), (ok) => ok, 5000);
  }, 60_000);

  it("(b) keeps every edit a client on the other node received when a node is killed with SIGKILL: 0 lost in 20 rounds", async () => {
    const sarah = await cookieFor(0, ACCOUNTS.councilEditor);
    const rahul = await cookieFor(0, ACCOUNTS.nhsEditor);
    const watcher = client(1, rahul);
    await waitForSync(watcher);
    const written: string[] = [];
    let lost = 0;
    for (let round = 0; round < 20; round++) {
      const editor = client(0, sarah);
      await waitForSync(editor);
      const line = `round ${round} at ${Date.now()}`;
      written.push(line);
      replaceContent(editor.doc, [...readParagraphs(editor.doc).filter((p) => p.startsWith("round ")), line]);
      // Node 1's client has it: node 0 stored it before publishing. Kill node 0 at once.
      await eventually(() => readParagraphs(watcher.doc), (p) => p.includes(line), 5000);
      await cluster.nodes[0].kill9();
      editor.destroy();
      await cluster.restart(0);
      const check = client(0, sarah);
      await waitForSync(check);
      const after = readParagraphs(check.doc);
      lost += written.filter((w) => !after.includes(w)).length;
      check.destroy();
    }
    expect(lost).toBe(0);
    expect(readParagraphs(watcher.doc).filter((p) => p.startsWith("round "))).toEqual(written);
  }, 240_000);

  it("(c) converges within 5 s when Redis loses its data and connections during a burst", async () => {
    const sarah = await cookieFor(0, ACCOUNTS.councilEditor);
    const rahul = await cookieFor(0, ACCOUNTS.nhsEditor);
    const all = [client(0, sarah), client(0, rahul), client(1, sarah), client(1, rahul)];
    await Promise.all(all.map((c) => waitForSync(c)));
    replaceContent(all[0].doc, ["Burst test"]);
    typingParagraph(all[0].doc).insert(0, "B");
    await eventually(() => all.every((c) => typingParagraph(c.doc).toString() === "B"), (ok) => ok, 5000);
    let typed = 1;
    for (let i = 0; i < 60; i++) {
      for (const c of all) {
        typingParagraph(c.doc).insert(0, "x");
        typed++;
      }
      if (i === 30) await loseRedis();
      await sleep(15);
    }
    const burstEnded = Date.now();
    await eventually(
      () => all.every((c) => typingParagraph(c.doc).length === typed) && all.every((c) => sameState(c.doc, all[0].doc)),
      (ok) => ok,
      5000,
    );
    expect(Date.now() - burstEnded).toBeLessThan(5000);
    // The outage was real: both nodes lost their stream reader and came back to it.
    for (const node of cluster.nodes) {
      expect(node.logs.some((l) => l.msg === "lost the Redis stream reader; relying on the database until it is back")).toBe(true);
      await eventually(() => node.logs.some((l) => l.msg === "reading document updates from Redis again; catching up from the database"), (x) => x, 5000);
    }
  }, 60_000);

  it("(c) after Redis is back, pages on every node re-read the plan (nudges sent meanwhile were never heard)", async () => {
    const rahul = await cookieFor(0, ACCOUNTS.nhsEditor);
    const controller = new AbortController();
    const res = await fetch(`${cluster.nodes[1].url}/plans/${PLAN_ID}/events`, {
      headers: { Cookie: rahul, Accept: "text/event-stream" },
      signal: controller.signal,
    });
    expect(res.status).toBe(200);
    let received = "";
    const reading = (async () => {
      const decoder = new TextDecoder();
      try {
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) received += decoder.decode(chunk, { stream: true });
      } catch {
        /* aborted */
      }
    })();
    try {
      await sleep(200);
      expect(received).not.toContain('"kind":"refresh"');
      await loseRedis();
      await eventually(() => received, (text) => text.includes('"kind":"refresh"'), 5000);
      await eventually(
        () => cluster.nodes.every((n) => n.logs.some((l) => l.msg === "back on Redis: refreshing open pages and re-checking sync access")),
        (ok) => ok,
        5000,
      );
    } finally {
      controller.abort();
      await reading;
    }
  }, 30_000);

  it("(d) shows presence of a client on node 0 on node 1, and removes it when the connection closes or the node dies", async () => {
    const sarah = await cookieFor(0, ACCOUNTS.councilEditor);
    const rahul = await cookieFor(0, ACCOUNTS.nhsEditor);
    const observer = client(1, rahul);
    await waitForSync(observer);
    const present = client(0, sarah);
    await waitForSync(present);
    present.provider.awareness.setLocalStateField("cursor", { anchor: 1 });
    const id = present.doc.clientID;
    const seen = await eventually(() => observer.provider.awareness.getStates().get(id), (s) => s !== undefined, 5000);
    // The server rewrote the identity from the session, on node 0; node 1 shows it as sent.
    expect(JSON.stringify(seen)).toContain("Sarah");
    present.destroy();
    await eventually(() => observer.provider.awareness.getStates().has(id), (has) => !has, 5000);

    // A node that dies takes its people's presence with it (heartbeats stop), long before y-protocols' 30 s.
    const doomed = client(0, sarah);
    await waitForSync(doomed);
    doomed.provider.awareness.setLocalStateField("cursor", { anchor: 2 });
    const doomedId = doomed.doc.clientID;
    await eventually(() => observer.provider.awareness.getStates().has(doomedId), (has) => has, 5000);
    await cluster.nodes[0].kill9();
    doomed.provider.disconnect();
    const killed = Date.now();
    await eventually(() => observer.provider.awareness.getStates().has(doomedId), (has) => !has, 15_000);
    expect(Date.now() - killed).toBeLessThan(15_000);
    await cluster.restart(0);
  }, 60_000);
});
