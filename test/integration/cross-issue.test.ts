// Where one issue's record feeds another's: the sign-off trail in the board's Word report, and
// comments in search. Each feature has its own suite; these check the seams between them.
import JSZip from "jszip";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCOUNTS, type AppServer, login, PLAN_ID, postForm, reopenSeededPlan, startAppServer } from "../helpers/app-server";
import { createLexicalClient } from "../helpers/lexical-client";
import { sqlRows } from "../helpers/test-db";
import * as Y from "yjs";
import { connectClient, waitForSync } from "../helpers/yjs-client";

const COUNCIL_ONLY_ACTION = "act-p-bgi-1-1";
let server: AppServer;
beforeAll(async () => {
  server = await startAppServer();
  await reopenSeededPlan(server.url);
}, 90_000);
afterAll(async () => {
  await server?.stop();
});

async function documentXmlText(bytes: ArrayBuffer): Promise<string> {
  const zip = await JSZip.loadAsync(bytes);
  const xml = await zip.file("word/document.xml")!.async("string");
  return [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((t) => t[1]).join(" ");
}

describe("the board's Word report", () => {
  it("carries the partner sign-off trail: organisation, person and the fingerprint of the words", async () => {
    const council = await login(server.url, ACCOUNTS.councilEditor);
    const before = await fetch(`${server.url}/plans/${PLAN_ID}/report.docx`, { headers: { Cookie: council } });
    expect(before.status).toBe(200);
    expect(await documentXmlText(await before.arrayBuffer())).toContain("No partner has signed off an action of this plan yet.");

    const page = await (await fetch(`${server.url}/plans/${PLAN_ID}?priority=all&show=100`, { headers: { Cookie: council } })).text();
    const card = page.slice(page.indexOf(`id="action-${COUNCIL_ONLY_ACTION}"`));
    const fingerprint = /data-fingerprint="([0-9a-f]{64})"/.exec(card)?.[1];
    expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);
    const signed = await postForm(server.url, `/plans/${PLAN_ID}`, council, {
      intent: "sign-off",
      actionId: COUNCIL_ONLY_ACTION,
      organisationId: "bury-council",
      fingerprint: fingerprint!,
    });
    expect(signed.status).toBe(200);

    const after = await fetch(`${server.url}/plans/${PLAN_ID}/report.docx`, { headers: { Cookie: council } });
    const text = await documentXmlText(await after.arrayBuffer());
    expect(text).toContain("Appendix B. Partner sign-off trail");
    expect(text).toContain("Bury Council, Sarah Whitworth");
    expect(text).toContain(fingerprint!.slice(0, 12));
  });
});

describe("search", () => {
  it("finds comments on engagement proposals for people who may see them, and never hidden ones", async () => {
    const q = encodeURIComponent("co-design sessions evenings volunteers");
    const editor = await login(server.url, ACCOUNTS.councilEditor);
    const found = await (await fetch(`${server.url}/search?q=${q}`, { headers: { Cookie: editor } })).text();
    expect(found).toContain("/proposals/community-engagement-strategy#thread-");
    expect(found).toContain("Comment by Tom Fielding");

    // A facilitator hides the comment: search no longer shows its words.
    const facilitator = await login(server.url, ACCOUNTS.facilitator);
    const commentId = await seededCommentId();
    const hidden = await postForm(server.url, "/proposals/community-engagement-strategy", facilitator, {
      intent: "hide-comment",
      commentId: String(commentId),
      reason: "Test of moderation in search",
    });
    expect(hidden.status).toBe(200);
    const after = await (await fetch(`${server.url}/search?q=${q}`, { headers: { Cookie: editor } })).text();
    expect(after).not.toContain("Comment by Tom Fielding");
  });
});

describe("search finds what people look for (issue 14)", () => {
  it("finds a priority by its code and by its name, linked to the plan", async () => {
    const editor = await login(server.url, ACCOUNTS.councilEditor);
    const { code, title, id } = await seeded<{ code: string; title: string; id: string }>(
      "select pr.code, pr.title, pr.id from priorities pr join plan_priorities pp on pp.priority_id = pr.id where pp.plan_id = ? order by pr.position limit 1",
      PLAN_ID,
    );
    for (const q of [code, title]) {
      const html = await (await fetch(`${server.url}/search?q=${encodeURIComponent(q)}`, { headers: { Cookie: editor } })).text();
      expect(html).toContain(`/plans/${PLAN_ID}?priority=${id}#priority-${id}`);
    }
  });

  it("lists a whole match of a code before longer codes it is the start of (BGI-1 before BGI-10)", async () => {
    const editor = await login(server.url, ACCOUNTS.councilEditor);
    const one = await seeded<{ id: string }>("select id from priorities where code = ?", "BGI-1");
    const ten = await seeded<{ id: string }>("select id from priorities where code = ?", "BGI-10");
    const html = await (await fetch(`${server.url}/search?q=BGI-1&kind=priority`, { headers: { Cookie: editor } })).text();
    const at = (id: string) => html.indexOf(`?priority=${id}#priority-${id}`);
    expect(at(ten.id)).toBeGreaterThan(-1); // a prefix still finds it
    expect(at(one.id)).toBeGreaterThan(-1);
    expect(at(one.id)).toBeLessThan(at(ten.id));
  });

  it("finds words typed in a live document within seconds, before it is saved", async () => {
    const editor = await login(server.url, ACCOUNTS.councilEditor);
    const { document_id } = await seeded<{ document_id: string }>("select document_id from actions where id = ?", COUNCIL_ONLY_ACTION);
    // Bound before the first sync, as Lexical's CollaborationPlugin binds before it connects.
    const doc = new Y.Doc();
    const lexical = createLexicalClient({ doc, id: "search-typist" });
    const client = connectClient(server.url, document_id, editor, server.url, doc);
    await waitForSync(client);
    try {
      const word = "Quokkabridge";
      lexical.insertText({ block: 0, offset: 0 }, `${word} `);
      const started = Date.now();
      let found = false;
      while (!found && Date.now() - started < 5_000) {
        const html = await (await fetch(`${server.url}/search?q=${word}`, { headers: { Cookie: editor } })).text();
        found = html.includes(`/plans/${PLAN_ID}/actions/${COUNCIL_ONLY_ACTION}`);
        if (!found) await new Promise((r) => setTimeout(r, 200));
      }
      expect(found).toBe(true);
      // Not yet in documents.plain_text: the words came from the open document.
      const stored = await seeded<{ plain_text: string }>("select plain_text from documents where id = ?", document_id);
      expect(stored.plain_text).not.toContain(word);
    } finally {
      lexical.destroy();
      client.destroy();
    }
  });
});

async function seeded<T>(sqlText: string, ...args: unknown[]): Promise<T> {
  return (await sqlRows<T>(server.dbFile, sqlText, ...args))[0]!;
}

async function seededCommentId(): Promise<number> {
  return (await seeded<{ id: number }>("select id from comments where thread_id = 'thr-seed-small-groups' order by id limit 1")).id;
}
