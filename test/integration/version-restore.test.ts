/**
 * Restoring a named version through the real app and sync server, with official y-websocket
 * clients connected: every client converges on the restored text, which equals the version
 * exactly, and the text it replaced is kept as a version of its own.
 */
import { sqlRows } from "../helpers/test-db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { $createLinkNode } from "@lexical/link";
import { $createListItemNode, $createListNode } from "@lexical/list";
import { $createHeadingNode } from "@lexical/rich-text";
import { $createParagraphNode, $createTextNode, $getRoot } from "lexical";
import { readContent, readParagraphs, replaceContent } from "../../server/documents/lexical-content";
import { editWithLexical } from "../../server/documents/lexical-range-edit";
import { ACCOUNTS, type AppServer, login, PLAN_ID, postForm, reopenSeededPlan, startAppServer } from "../helpers/app-server";
import { connectClient, eventually, waitForSync, type Client } from "../helpers/yjs-client";

const OVERVIEW = `doc-${PLAN_ID}-overview`;
const MARKET = "doc-act-p-bgi-1-3";
const PRESTWICH = "doc-act-p-bgi-4-1";

let server: AppServer;
const clients: Client[] = [];

beforeAll(async () => {
  server = await startAppServer();
  await reopenSeededPlan(server.url);
}, 90_000);
afterAll(async () => {
  for (const c of clients) c.destroy();
  await server?.stop();
});

const rows = <T>(sql: string, ...params: unknown[]): Promise<T[]> => sqlRows<T>(server.dbFile, sql, ...params);

const versionText = async (versionId: number, docId: string): Promise<string[]> =>
  JSON.parse(
    (await rows<{ paragraphs: string }>("select paragraphs from plan_version_documents where version_id = ? and document_id = ?", versionId, docId))[0].paragraphs,
  );

async function connect(cookie: string, docId: string) {
  const client = connectClient(server.url, docId, cookie);
  clients.push(client);
  await waitForSync(client);
  return client;
}

const text = (c: Client) => readParagraphs(c.doc);
const converged = (list: Client[], expected: string[]) =>
  Promise.all(list.map((c) => eventually(() => text(c), (t) => JSON.stringify(t) === JSON.stringify(expected), 15_000)));

describe("restoring a named version with partners connected", () => {
  it("brings every live client to the version's text exactly, and loses nothing", async () => {
    const council = await login(server.url, ACCOUNTS.councilEditor);
    const nhs = await login(server.url, ACCOUNTS.nhsEditor);
    const viewer = await login(server.url, ACCOUNTS.viewer);

    // Three partners' editors open, on three documents of the plan; the viewer follows read-only.
    const a = { overview: await connect(council, OVERVIEW), market: await connect(council, MARKET), prestwich: await connect(council, PRESTWICH) };
    const b = { overview: await connect(nhs, OVERVIEW), market: await connect(nhs, MARKET) };
    const v = { overview: await connect(viewer, OVERVIEW) };

    // The text partners agree on.
    const agreed = {
      overview: ["Agreed overview: partners co-design on equal terms.", "Second paragraph as agreed at the board."],
      market: ["Flexi Hall: RIBA stage 5, main contract let by December 2022."],
    };
    replaceContent(a.overview.doc, agreed.overview);
    replaceContent(b.market.doc, agreed.market);
    await converged([a.overview, b.overview, v.overview], agreed.overview);
    await converged([a.market, b.market], agreed.market);
    const prestwichAgreed = text(a.prestwich);

    const saved = await postForm(server.url, `/plans/${PLAN_ID}/versions`, council, { intent: "save-version", name: "Agreed at the March board" });
    expect(saved.status).toBe(200);
    const [named] = await rows<{ id: number }>("select id from plan_versions where plan_id = ? and name = ?", PLAN_ID, "Agreed at the March board");
    expect(await versionText(named.id, OVERVIEW)).toEqual(agreed.overview);
    expect(await versionText(named.id, MARKET)).toEqual(agreed.market);

    // Drafting goes on after the board.
    const later = {
      overview: ["Later overview, rewritten after the board.", "A new third point.", "And a fourth."],
      market: ["Flexi Hall: contract slipped to March 2023."],
      prestwich: ["Prestwich: rewritten by the council."],
    };
    replaceContent(b.overview.doc, later.overview);
    replaceContent(a.market.doc, later.market);
    replaceContent(a.prestwich.doc, later.prestwich);
    await converged([a.overview, b.overview, v.overview], later.overview);
    await converged([a.market, b.market], later.market);

    // Only editors restore, and only when they confirm.
    expect((await postForm(server.url, `/plans/${PLAN_ID}/versions/${named.id}`, viewer, { intent: "restore", confirm: "yes" })).status).toBe(403);
    expect((await postForm(server.url, `/plans/${PLAN_ID}/versions/${named.id}`, nhs, { intent: "restore" })).status).toBe(400);

    const restored = await postForm(server.url, `/plans/${PLAN_ID}/versions/${named.id}`, nhs, { intent: "restore", confirm: "yes" });
    expect(restored.status).toBe(200);
    expect(restored.text).toContain("3 of");

    // Every connected client, writer or viewer, converges on the version's text, exactly.
    await converged([a.overview, b.overview, v.overview], await versionText(named.id, OVERVIEW));
    await converged([a.market, b.market], await versionText(named.id, MARKET));
    await converged([a.prestwich], prestwichAgreed);
    expect(text(v.overview)).toEqual(agreed.overview);

    // Nothing lost: the text before the restore is a version, and the restore is a new version.
    const versions = await rows<{ id: number; name: string; kind: string; restored_from_version_id: number | null }>(
      "select id, name, kind, restored_from_version_id from plan_versions where plan_id = ? order by id",
      PLAN_ID,
    );
    expect(versions.map((x) => [x.name, x.kind])).toEqual([
      ["Agreed at the March board", "named"],
      ["Before restoring “Agreed at the March board”", "before_restore"],
      ["Restored from “Agreed at the March board”", "restored"],
    ]);
    const [, before, after] = versions;
    expect(await versionText(before.id, OVERVIEW)).toEqual(later.overview);
    expect(await versionText(before.id, MARKET)).toEqual(later.market);
    expect(await versionText(before.id, PRESTWICH)).toEqual(later.prestwich);
    expect(after.restored_from_version_id).toBe(named.id);
    for (const doc of await rows<{ document_id: string }>("select document_id from plan_version_documents where version_id = ?", named.id)) {
      expect(await versionText(after.id, doc.document_id), doc.document_id).toEqual(await versionText(named.id, doc.document_id));
    }

    // The restore is in the update log, credited to the partner who made it.
    const [nhsUser] = await rows<{ id: number }>("select id from users where email = ?", ACCOUNTS.nhsEditor);
    const last = (await rows<{ user_id: number; organisation_id: string }>(
      "select user_id, organisation_id from document_updates where document_id = ? order by id desc limit 1",
      MARKET,
    ))[0];
    expect(last).toEqual({ user_id: nhsUser.id, organisation_id: "nhs-bury-ccg" });

    // "Who wrote this" credits the restored paragraphs to the partner who restored them.
    const authorship = await (await fetch(`${server.url}/plans/${PLAN_ID}/authorship`, { headers: { Cookie: viewer } })).text();
    const byline = /Flexi Hall: RIBA stage 5, main contract let by December 2022\.<\/p><p class="authored__by">([\s\S]*?)<\/p>/.exec(authorship)?.[1];
    expect(byline).toContain("Rahul Mistry");
    expect(byline).not.toContain("Sarah Whitworth");

    // And the clients keep editing the restored text together.
    replaceContent(a.market.doc, [...agreed.market, "Added after the restore."]);
    await converged([b.market], [...agreed.market, "Added after the restore."]);
  }, 90_000);

  it("keeps lists, headings and links: the sync server takes them, a version holds them and a restore brings them back", async () => {
    const council = await login(server.url, ACCOUNTS.councilEditor);
    const nhs = await login(server.url, ACCOUNTS.nhsEditor);
    const a = await connect(council, PRESTWICH);
    const b = await connect(nhs, PRESTWICH);
    const lines = (c: Client) => {
      const content = readContent(c.doc);
      return content.readable ? content.lines : null;
    };
    editWithLexical(a.doc, () => {
      const root = $getRoot();
      root.clear();
      root.append(
        $createHeadingNode("h2").append($createTextNode("Prestwich")),
        $createListNode("bullet").append($createListItemNode().append($createTextNode("Library")), $createListItemNode().append($createTextNode("Market"))),
        $createParagraphNode().append($createLinkNode("https://example.org/prestwich").append($createTextNode("Plans"))),
      );
    });
    const structured = ["Prestwich", "• Library", "• Market", "Plans (https://example.org/prestwich)"];
    await eventually(() => lines(b), (l) => JSON.stringify(l) === JSON.stringify(structured), 15_000);

    expect((await postForm(server.url, `/plans/${PLAN_ID}/versions`, council, { intent: "save-version", name: "With a list" })).status).toBe(200);
    const [named] = await rows<{ id: number }>("select id from plan_versions where plan_id = ? and name = ?", PLAN_ID, "With a list");
    expect(await versionText(named.id, PRESTWICH)).toEqual(structured);

    replaceContent(b.doc, ["Flattened."]);
    await eventually(() => lines(a), (l) => JSON.stringify(l) === JSON.stringify(["Flattened."]), 15_000);
    expect((await postForm(server.url, `/plans/${PLAN_ID}/versions/${named.id}`, nhs, { intent: "restore", confirm: "yes" })).status).toBe(200);
    for (const c of [a, b]) await eventually(() => lines(c), (l) => JSON.stringify(l) === JSON.stringify(structured), 15_000);
    const [doc] = await rows<{ plain_text: string }>("select plain_text from documents where id = ?", PRESTWICH);
    expect(doc.plain_text).toBe(structured.join("\n\n"));
  }, 90_000);
});
