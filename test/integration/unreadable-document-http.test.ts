/**
 * Issue 10, part 1: a document that is already bad on disk (made bad directly in the database, as
 * an update accepted before the sync server checked shapes would have left it) breaks only itself.
 * Against the production build: the plan and action pages render everything else and show a notice
 * in that text's place, the CSV, the Word report, "who wrote this", search and the versions answer,
 * the start-up scan lists it (log and /admin), and restoring a version repairs it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { readContent } from "../../server/documents/lexical-content";
import { badDocumentUpdate } from "../helpers/bad-documents";
import { ACCOUNTS, type AppServer, login, PLAN_ID, postForm, reopenSeededPlan, startAppServer } from "../helpers/app-server";
import { sqlRows } from "../helpers/test-db";

const MARKET_ACTION = "act-p-bgi-1-3";
const MARKET = `doc-${MARKET_ACTION}`;
const NOTICE = "This text could not be read; a facilitator can restore a version";

let server: AppServer;
let facilitator: string;
let versionId: number;

const rows = <T>(sql: string, ...params: unknown[]): Promise<T[]> => sqlRows<T>(server.dbFile, sql, ...params);

/** The document as it would be loaded from disk right now. */
async function storedDoc(documentId: string): Promise<Y.Doc> {
  const doc = new Y.Doc();
  const [snapshot] = await rows<{ state: Uint8Array; last_update_id: number }>(
    "select state, last_update_id from document_snapshots where document_id = ? order by id desc limit 1",
    documentId,
  );
  if (snapshot) Y.applyUpdate(doc, snapshot.state);
  const updates = await rows<{ update: Uint8Array }>(
    'select "update" from document_updates where document_id = ? and id > ? order by id',
    documentId,
    snapshot?.last_update_id ?? 0,
  );
  for (const u of updates) Y.applyUpdate(doc, u.update);
  return doc;
}

async function plantBadUpdate(documentId: string): Promise<void> {
  const base = await storedDoc(documentId);
  const update = badDocumentUpdate(base);
  base.destroy();
  await rows(
    'insert into document_updates (document_id, "update", user_id, organisation_id, created_at) values (?, ?, null, null, ?)',
    documentId,
    Buffer.from(update),
    new Date().toISOString(),
  );
}

const get = (path: string, cookie = facilitator) => fetch(`${server.url}${path}`, { headers: { Cookie: cookie } });

beforeAll(async () => {
  server = await startAppServer();
  await reopenSeededPlan(server.url);
  facilitator = await login(server.url, ACCOUNTS.facilitator);
  // A version from before the damage, to repair it with.
  const saved = await postForm(server.url, `/plans/${PLAN_ID}/versions`, facilitator, { intent: "save-version", name: "Before the damage" });
  expect(saved.status).toBe(200);
  versionId = (await rows<{ id: number }>("select id from plan_versions where name = ?", "Before the damage"))[0]!.id;
  const before = await storedDoc(MARKET);
  expect(readContent(before).readable).toBe(true);
  before.destroy();
  await plantBadUpdate(MARKET);
  const bad = await storedDoc(MARKET);
  expect(readContent(bad).readable).toBe(false);
  bad.destroy();
}, 90_000);
afterAll(async () => {
  await server?.stop();
});

describe("a document that is already bad on disk", () => {
  it("the plan page renders everything else, with the notice in that text's place", async () => {
    const res = await get(`/plans/${PLAN_ID}?priority=all&show=100`);
    const html = await res.text();
    expect(res.status, html.slice(0, 500)).toBe(200);
    expect(html).toContain(NOTICE);
    // Other actions and the overview still render.
    const titles = await rows<{ title: string }>("select title from actions where plan_id = ? and id != ? order by id limit 5", PLAN_ID, MARKET_ACTION);
    for (const t of titles) expect(html).toContain(t.title.replace(/&/g, "&amp;").slice(0, 30));
    expect(html.split(NOTICE).length - 1).toBe(1);
  });

  it("the action page renders with the notice", async () => {
    const res = await get(`/plans/${PLAN_ID}/actions/${MARKET_ACTION}`);
    const html = await res.text();
    expect(res.status, html.slice(0, 500)).toBe(200);
    expect(html).toContain(NOTICE);
  });

  it("the actions CSV, the Word report, who wrote this, search and the versions page answer", async () => {
    for (const path of [
      `/plans/${PLAN_ID}/actions.csv`,
      `/plans/${PLAN_ID}/report.docx`,
      `/plans/${PLAN_ID}/authorship`,
      `/plans/${PLAN_ID}/versions`,
      `/plans/${PLAN_ID}/versions/${versionId}`,
      `/search?q=market`,
    ]) {
      const res = await get(path);
      expect(res.status, `${path}: ${(await res.clone().text()).slice(0, 300)}`).toBe(200);
    }
    const csv = await (await get(`/plans/${PLAN_ID}/actions.csv`)).text();
    expect(csv).toContain(NOTICE);
    const authorship = await (await get(`/plans/${PLAN_ID}/authorship`)).text();
    expect(authorship).toContain(NOTICE);
  });

  it("saving a version still works, and keeps the unreadable state", async () => {
    const saved = await postForm(server.url, `/plans/${PLAN_ID}/versions`, facilitator, { intent: "save-version", name: "While damaged" });
    expect(saved.status, saved.text.slice(0, 300)).toBe(200);
  });

  it("at start-up the server lists it (log and /admin) and still starts", async () => {
    await server.stop();
    server = await startAppServer({ dbFile: server.dbFile });
    facilitator = await login(server.url, ACCOUNTS.facilitator);
    const admin = await login(server.url, ACCOUNTS.admin);
    const deadline = Date.now() + 15_000;
    while (!server.logs.some((l) => l.msg === "stored document does not load") && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    const line = server.logs.find((l) => l.msg === "stored document does not load");
    expect(line?.document).toBe(MARKET);
    const page = await (await get("/admin", admin)).text();
    expect(page).toContain(MARKET);
    expect(page).toContain("could not be read");
  }, 90_000);

  it("restoring a version repairs it", async () => {
    const restored = await postForm(server.url, `/plans/${PLAN_ID}/versions/${versionId}`, facilitator, { intent: "restore", confirm: "yes" });
    expect(restored.status, restored.text.slice(0, 300)).toBe(200);
    const repaired = await storedDoc(MARKET);
    const content = readContent(repaired);
    repaired.destroy();
    expect(content.readable).toBe(true);
    const [stored] = await rows<{ paragraphs: string }>("select paragraphs from plan_version_documents where version_id = ? and document_id = ?", versionId, MARKET);
    const version = JSON.parse(stored!.paragraphs) as string[];
    expect(content.readable && content.paragraphs).toEqual(version);
    const html = await (await get(`/plans/${PLAN_ID}?priority=all&show=100`)).text();
    expect(html).not.toContain(NOTICE);
  });
});
