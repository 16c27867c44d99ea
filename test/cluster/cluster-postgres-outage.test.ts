/**
 * Issue 11 (h): PostgreSQL stopped for 5 s while people on two nodes type. Nothing acknowledged is
 * lost (an edit another person received is in the database afterwards, even when both nodes are
 * then killed with SIGKILL), every client is told that saving is paused, and when the database is
 * back they resume on their own and converge. The database is a server of the test's own
 * (test/helpers/private-postgres.ts): the shared one serves the other test files meanwhile.
 * PostgreSQL only (vitest.config.ts).
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import * as Y from "yjs";
import { readParagraphs, replaceContent } from "../../server/documents/lexical-content";
import { ACCOUNTS, login, reopenSeededPlan } from "../helpers/app-server";
import { typingParagraph } from "../helpers/bad-documents";
import { startCluster, type TestCluster } from "../helpers/cluster";
import { startPrivatePostgres, type PrivatePostgres } from "../helpers/private-postgres";
import { connectClient, eventually, waitForSync, type Client } from "../helpers/yjs-client";

const DOC_ID = "doc-act-p-bgi-1-3";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let database: PrivatePostgres;
let cluster: TestCluster;
const clients: Client[] = [];

beforeAll(async () => {
  database = await startPrivatePostgres("outage");
  // Clients retry every 300 ms while the database is away; the per-address limit must not be what stops them.
  cluster = await startCluster("pg-outage", { dbFile: database.url, env: { SYNC_CONNECTIONS_PER_MINUTE: "100000" } });
  await reopenSeededPlan(cluster.nodes[0].url);
}, 120_000);

afterAll(async () => {
  for (const c of clients) c.destroy();
  await cluster?.stop();
  await database?.destroy();
}, 60_000);

function closesOf(c: Client): { code: number; reason: string; at: number }[] {
  const seen: { code: number; reason: string; at: number }[] = [];
  c.provider.on("connection-close", (event: CloseEvent | null) => {
    if (event) seen.push({ code: event.code, reason: event.reason, at: Date.now() });
  });
  return seen;
}

it("(h) keeps every acknowledged edit when PostgreSQL stops for 5 s during editing; clients are told, then resume and converge", async () => {
  const sarah = await login(cluster.nodes[0].url, ACCOUNTS.councilEditor);
  const rahul = await login(cluster.nodes[1].url, ACCOUNTS.nhsEditor);
  const a = connectClient(cluster.nodes[0].url, DOC_ID, sarah);
  const b = connectClient(cluster.nodes[1].url, DOC_ID, rahul);
  clients.push(a, b);
  await Promise.all([waitForSync(a), waitForSync(b)]);
  replaceContent(a.doc, ["Outage test"]);
  typingParagraph(a.doc).insert(0, "|");
  await eventually(() => typingParagraph(b.doc).toString(), (t) => t === "|", 5000);
  const closes = { a: closesOf(a), b: closesOf(b) };

  const typed: string[] = [];
  const type = (c: Client, token: string) => {
    const p = typingParagraph(c.doc);
    p.insert(p.length, token);
    typed.push(token);
  };
  let stoppedAt = 0;
  let startedAt = 0;
  for (let i = 0; i < 160; i++) {
    type(a, `a${i}|`);
    type(b, `b${i}|`);
    if (i === 20) {
      await database.stop();
      stoppedAt = Date.now();
    }
    if (stoppedAt && !startedAt && Date.now() - stoppedAt >= 5000) {
      await database.start();
      startedAt = Date.now();
    }
    await sleep(50);
  }
  expect(startedAt - stoppedAt).toBeGreaterThanOrEqual(5000);

  // Told: each page's connection was closed with the reason while the database was away.
  for (const seen of [closes.a, closes.b]) {
    const told = seen.find((c) => c.reason.startsWith("Saving is paused"));
    expect(told?.code, JSON.stringify(seen)).toBe(1011);
    expect(told?.reason).toBe("Saving is paused: the database is not answering. Your edits stay in this page and are sent when it is back.");
    expect(told!.at - stoppedAt).toBeLessThan(3000);
  }

  // Resume: both clients reconnect by themselves and end with everything both of them typed.
  const has = (c: Client) => {
    const text = typingParagraph(c.doc).toString();
    return typed.every((t) => text.includes(`|${t}`));
  };
  await eventually(() => has(a) && has(b), (ok) => ok, 15_000);
  await eventually(
    () => Buffer.from(Y.encodeStateVector(a.doc)).equals(Buffer.from(Y.encodeStateVector(b.doc))),
    (same) => same,
    5000,
  );

  // The outage was met by retrying, on both nodes, not by dropping anything.
  for (const node of cluster.nodes) {
    expect(node.logs.some((l) => l.msg === "could not store document updates; retrying")).toBe(true);
    expect(node.logs.some((l) => l.msg === "document updates stored after retrying")).toBe(true);
  }

  // Nothing acknowledged lost: every token is now on the other node's client too, so it must be
  // in the database, even if both nodes die now without a chance to flush anything.
  await Promise.all(cluster.nodes.map((n) => n.kill9()));
  a.destroy();
  b.destroy();
  await cluster.restart(0);
  const check = connectClient(cluster.nodes[0].url, DOC_ID, await login(cluster.nodes[0].url, ACCOUNTS.councilEditor));
  clients.push(check);
  await waitForSync(check);
  const stored = typingParagraph(check.doc).toString();
  expect(typed.filter((t) => !stored.includes(`|${t}`))).toEqual([]);
  expect(readParagraphs(check.doc)[0]).toBe("Outage test");
}, 120_000);
