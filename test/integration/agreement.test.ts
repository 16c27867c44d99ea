import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { readParagraphs } from "../../server/documents/lexical-content";
import { replaceQuotedRange } from "../../server/documents/lexical-range-edit";
import { ACCOUNTS, type AppServer, login, PLAN_ID, postForm, reopenSeededPlan, startAppServer } from "../helpers/app-server";
import { sqlRows } from "../helpers/test-db";
import { connectClient, eventually, waitForSync } from "../helpers/yjs-client";

// Led by Bury Council, supported by the VCF Alliance (both accepted in the seed data).
const AGREED_ACTION = "act-p-ops-2-1";
// Led by Bury Council, supported by Greater Manchester Police.
const POLICE_ACTION = "act-p-core-1-2";
// Led by Six Town Housing, supported by Bury Council.
const SUGGESTION_ACTION = "act-p-bgi-13-4";

let server: AppServer;
const cookies: Record<string, string> = {};

beforeAll(async () => {
  server = await startAppServer();
  await reopenSeededPlan(server.url);
  for (const [who, email] of Object.entries(ACCOUNTS)) cookies[who] = await login(server.url, email);
}, 90_000);

afterAll(async () => {
  await server?.stop();
});

const query = <T>(sql: string, ...params: unknown[]): Promise<T[]> => sqlRows<T>(server.dbFile, sql, ...params);

async function storedParagraphs(docId: string): Promise<string[]> {
  const rows = await query<{ update: Uint8Array }>('select "update" from document_updates where document_id = ? order by id', docId);
  const doc = new Y.Doc();
  for (const r of rows) Y.applyUpdate(doc, r.update);
  return readParagraphs(doc);
}

/** The whole plan on one page (`?priority=all&show=100`): it opens on one priority since issue 14. */
async function page(who: keyof typeof ACCOUNTS): Promise<string> {
  const res = await fetch(`${server.url}/plans/${PLAN_ID}?priority=all&show=100`, { headers: { Cookie: cookies[who] } });
  expect(res.status).toBe(200);
  return res.text();
}

/** The part of the page HTML that belongs to one action's card. */
function card(html: string, actionId: string): string {
  const start = html.indexOf(`id="action-${actionId}"`);
  expect(start).toBeGreaterThan(-1);
  const end = html.indexOf('<li class="action"', start + 1);
  return html.slice(start, end === -1 ? undefined : end);
}

function agreementOf(html: string, actionId: string) {
  const c = card(html, actionId);
  const text = (tag: string) =>
    [...c.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, "g"))].map((m) =>
      m[1]
        .replace(/<span class="visually-hidden">[^<]*<\/span>/g, "")
        .replace(/<[^>]+>/g, "")
        .replace(/<!-- -->/g, "")
        .trim(),
    );
  return {
    status: /data-agreement-status="([a-z]+)"/.exec(c)?.[1],
    fingerprint: /data-fingerprint="([0-9a-f]{64})"/.exec(c)?.[1] ?? "",
    comparison: c.includes('data-testid="comparison"') ? { added: text("ins"), removed: text("del") } : null,
    html: c,
  };
}

async function documentOf(actionId: string): Promise<string> {
  return (await query<{ document_id: string }>("select document_id from actions where id = ?", actionId))[0].document_id;
}

async function userId(email: string): Promise<number> {
  return (await query<{ id: number }>("select id from users where email = ?", email))[0].id;
}

/** Edits an action's text as a browser would: through the sync server, as that user. */
async function editThroughSync(who: keyof typeof ACCOUNTS, actionId: string, quote: string, replacement: string) {
  const docId = await documentOf(actionId);
  const client = connectClient(server.url, docId, cookies[who]);
  try {
    await waitForSync(client);
    const blocks = readParagraphs(client.doc);
    const blockIndex = blocks.findIndex((b) => b.includes(quote));
    expect(blockIndex).toBeGreaterThan(-1);
    const start = blocks[blockIndex].indexOf(quote);
    replaceQuotedRange(client.doc, { blockIndex, start, end: start + quote.length, quote }, replacement, { origin: "test-edit" });
    await eventually(
      async () => (await storedParagraphs(docId)).join("\n"),
      (t) => t.includes(replacement) && (replacement.includes(quote) || !t.includes(quote)),
    );
  } finally {
    client.destroy();
  }
}

/** A page's Server-Sent Events stream, collecting the change events it receives. */
async function openEvents(who: keyof typeof ACCOUNTS) {
  const controller = new AbortController();
  const res = await fetch(`${server.url}/plans/${PLAN_ID}/events`, { headers: { Cookie: cookies[who] }, signal: controller.signal });
  expect(res.status).toBe(200);
  const received: { kind: string; actionId?: string; summary: string }[] = [];
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        let cut: number;
        while ((cut = buffer.indexOf("\n\n")) !== -1) {
          const chunk = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const data = /^data: (.*)$/m.exec(chunk)?.[1];
          if (data) received.push(JSON.parse(data));
        }
      }
    } catch {
      /* aborted */
    }
  })();
  return { received, close: () => controller.abort() };
}

const sign = (who: keyof typeof ACCOUNTS, actionId: string, organisationId: string, fingerprint: string) =>
  postForm(server.url, `/plans/${PLAN_ID}`, cookies[who], { intent: "sign-off", actionId, organisationId, fingerprint });

describe("agreement on equal terms", () => {
  it("refuses a sign-off of text that has changed since the page showed it", async () => {
    const shown = agreementOf(await page("councilEditor"), POLICE_ACTION);
    expect(shown.status).toBe("draft");
    const before = (await storedParagraphs(await documentOf(POLICE_ACTION)))[0];
    const word = before.split(" ")[0];
    await editThroughSync("nhsEditor", POLICE_ACTION, word, `${word} (revised)`);

    // As a browser without JavaScript sends it: the form names itself for its answer.
    const stale = await postForm(server.url, `/plans/${PLAN_ID}?priority=all&show=100`, cookies.councilEditor, {
      intent: "sign-off",
      actionId: POLICE_ACTION,
      organisationId: "bury-council",
      fingerprint: shown.fingerprint,
      feedbackFor: `signoff:${POLICE_ACTION}`,
    });
    expect(stale.status).toBe(409);
    expect(await query("select * from sign_offs where subject_id = ?", POLICE_ACTION)).toEqual([]);
    const current = agreementOf(await page("councilEditor"), POLICE_ACTION);
    expect(current.fingerprint).not.toBe(shown.fingerprint);
    // The answer says so beside the sign-off button, names the new version, and the page that comes
    // back offers the new words.
    const beside = new RegExp(
      `data-feedback-for="signoff:${POLICE_ACTION}"[^>]*>The words of [^<]* changed while you were signing \\(they are now version ${current.fingerprint.slice(0, 8)}\\), so Bury Council&#x27;s sign-off was not recorded`,
    );
    expect(stale.text).toMatch(beside);
    expect(agreementOf(stale.text, POLICE_ACTION).fingerprint).toBe(current.fingerprint);

    // With the fingerprint of the text as it is now, the same sign-off is recorded.
    expect((await sign("councilEditor", POLICE_ACTION, "bury-council", current.fingerprint)).status).toBe(200);
  });

  it("lets no organisation sign for another, nor reach agreed alone while others are named", async () => {
    const { fingerprint } = agreementOf(await page("councilEditor"), AGREED_ACTION);

    const forOther = await sign("councilEditor", AGREED_ACTION, "bury-vcf-alliance", fingerprint);
    expect(forOther.status).toBe(403);
    expect(forOther.text).toContain("You can sign off only for your own organisation.");
    const facilitatorForOther = await sign("facilitator", AGREED_ACTION, "bury-vcf-alliance", fingerprint);
    expect(facilitatorForOther.status).toBe(403);
    const notNamed = await sign("nhsEditor", AGREED_ACTION, "nhs-bury-ccg", fingerprint);
    expect(notNamed.status).toBe(403);
    expect(notNamed.text).toContain("NHS Bury CCG is not a lead or supporting partner");
    const councilViewer = await sign("viewer", AGREED_ACTION, "bury-council", fingerprint);
    expect(councilViewer.status).toBe(403);
    expect(councilViewer.text).toContain("Only editors of Bury Council can sign off for it.");
    // No "mark agreed" exists: an unknown intent is refused.
    const markAgreed = await postForm(server.url, `/plans/${PLAN_ID}`, cookies.facilitator, { intent: "mark-agreed", actionId: AGREED_ACTION });
    expect(markAgreed.status).toBe(400);
    expect(await query("select * from sign_offs where subject_id = ?", AGREED_ACTION)).toEqual([]);

    // The council signs: proposed, not agreed, while the VCF Alliance has not.
    expect((await sign("councilEditor", AGREED_ACTION, "bury-council", fingerprint)).status).toBe(200);
    expect(agreementOf(await page("nhsEditor"), AGREED_ACTION).status).toBe("proposed");
    expect((await query<{ status: string }>("select status from actions where id = ?", AGREED_ACTION))[0].status).toBe("proposed");
    const again = await sign("facilitator", AGREED_ACTION, "bury-council", fingerprint);
    expect(again.status).toBe(409);

    expect((await sign("vcfAllianceEditor", AGREED_ACTION, "bury-vcf-alliance", fingerprint)).status).toBe(200);
    expect(agreementOf(await page("nhsEditor"), AGREED_ACTION).status).toBe("agreed");

    const trail = (await query<{ organisation_id: string; user_id: number; fingerprint: string; kind: string }>(
      "select organisation_id, user_id, fingerprint, kind from sign_offs where subject_id = ? order by id",
      AGREED_ACTION,
    ));
    expect(trail).toEqual([
      { organisation_id: "bury-council", user_id: await userId(ACCOUNTS.councilEditor), fingerprint, kind: "signed" },
      { organisation_id: "bury-vcf-alliance", user_id: await userId(ACCOUNTS.vcfAllianceEditor), fingerprint, kind: "signed" },
    ]);
    expect(
      (await query("select from_status, to_status, cause from agreement_history where subject_id = ? order by id", AGREED_ACTION)),
    ).toEqual([
      { from_status: "draft", to_status: "proposed", cause: "signed" },
      { from_status: "proposed", to_status: "agreed", cause: "signed" },
    ]);
    // The trail cannot be rewritten, even directly in the database.
    await expect(query("update sign_offs set organisation_id = 'nhs-bury-ccg'")).rejects.toThrow(/append-only/);
    await expect(query("delete from agreement_history")).rejects.toThrow(/append-only/);
  });

  it("flips an agreed action to 'changed since agreed' on every open page when its text changes through the sync server", async () => {
    expect(agreementOf(await page("councilEditor"), AGREED_ACTION).status).toBe("agreed");
    const pages = await Promise.all([openEvents("councilEditor"), openEvents("vcfAllianceEditor"), openEvents("vcfCommenter")]);
    try {
      const agreedText = (await storedParagraphs(await documentOf(AGREED_ACTION)))[0];
      const oldWord = agreedText.split(" ").find((w) => /^[a-z]{5,}$/i.test(w))!;
      await editThroughSync("nhsEditor", AGREED_ACTION, oldWord, "reimagined");

      for (const p of pages) {
        await eventually(
          () => p.received.filter((e) => e.kind === "agreement" && e.actionId === AGREED_ACTION).length,
          (n) => n > 0,
        );
        expect(p.received.find((e) => e.kind === "agreement")?.summary).toContain("changed after it was agreed");
      }
      for (const who of ["councilEditor", "vcfAllianceEditor", "vcfCommenter"] as const) {
        const seen = agreementOf(await page(who), AGREED_ACTION);
        expect(seen.status).toBe("changed");
        expect(seen.comparison).toEqual({ added: ["reimagined"], removed: [oldWord] });
        // The last agreed words stay readable.
        expect(seen.html).toContain(agreedText.slice(0, 60));
      }
      expect((await query<{ status: string }>("select status from actions where id = ?", AGREED_ACTION))[0].status).toBe("draft");
      expect(
        (await query("select from_status, to_status, cause, actor_user_id from agreement_history where subject_id = ? order by id desc limit 1", AGREED_ACTION)),
      ).toEqual([{ from_status: "agreed", to_status: "draft", cause: "text_changed", actor_user_id: null }]);
    } finally {
      for (const p of pages) p.close();
    }
  });

  it("exports the sign-off trail as CSV to anyone who can see the plan", async () => {
    const res = await fetch(`${server.url}/plans/${PLAN_ID}/sign-offs.csv`, { headers: { Cookie: cookies.viewer } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/csv");
    expect(res.headers.get("content-disposition")).toContain("attachment");
    const csv = (await res.text()).replace(/^\uFEFF/, "");
    const lines = csv.trim().split("\n");
    expect(lines[0]).toBe(
      "When (UTC),Action id,Action,Event,Organisation,Person,Text fingerprint (SHA-256),Status before,Status after,Description",
    );
    const signedRows = lines.filter((l) => l.includes(AGREED_ACTION) && l.includes(",Signed off,"));
    expect(signedRows).toHaveLength(2);
    expect(signedRows[0]).toMatch(/,Signed off,Bury Council,Sarah Whitworth,[0-9a-f]{64},/);
    // A name with a comma is quoted, as CSV requires.
    expect(signedRows[1]).toMatch(/,Signed off,"Bury Voluntary, Community and Faith Alliance",Joanne Kerr,[0-9a-f]{64},/);
    expect(lines.some((l) => l.includes(AGREED_ACTION) && l.includes(",agreed,draft,"))).toBe(true);
    const anonymous = await fetch(`${server.url}/plans/${PLAN_ID}/sign-offs.csv`, { redirect: "manual" });
    expect(anonymous.status).toBe(302);
  });
});

describe("suggestions", () => {
  const docId = () => documentOf(SUGGESTION_ACTION);
  const suggest = (who: keyof typeof ACCOUNTS, quote: string, replacement: string) =>
    postForm(server.url, `/plans/${PLAN_ID}`, cookies[who], { intent: "suggest", actionId: SUGGESTION_ACTION, quote, replacement, note: "" });
  const latestSuggestion = async () =>
    (await query<{ id: string; status: string; author_user_id: number; author_organisation_id: string }>(
      "select id, status, author_user_id, author_organisation_id from suggestions order by created_at desc, id desc limit 1",
    ))[0];
  const updateCount = async () => (await query<{ n: number }>("select count(*) n from document_updates where document_id = ?", await docId()))[0].n;

  it("applies an accepted suggestion as a minimal edit through the durable path, credited to the suggester", async () => {
    const before = (await storedParagraphs(await docId()))[0];
    expect(before).toContain("savings proposals");
    // A viewer may not suggest; a commenter (a small VCF group) may.
    expect((await suggest("viewer", "savings proposals", "savings plans")).status).toBe(403);
    const made = await suggest("vcfCommenter", "savings proposals", "savings and investment proposals");
    expect(made.status).toBe(200);
    const s = await latestSuggestion();
    expect(s).toMatchObject({ status: "open", author_user_id: await userId(ACCOUNTS.vcfCommenter), author_organisation_id: "radcliffe-community-food-network" });

    // The suggester cannot accept their own suggestion (no edit rights).
    const selfAccept = await postForm(server.url, `/plans/${PLAN_ID}`, cookies.vcfCommenter, { intent: "accept-suggestion", suggestionId: s.id });
    expect(selfAccept.status).toBe(403);

    const accepted = await postForm(server.url, `/plans/${PLAN_ID}`, cookies.housingEditor, { intent: "accept-suggestion", suggestionId: s.id });
    expect(accepted.status).toBe(200);
    expect((await storedParagraphs(await docId()))[0]).toBe(before.replace("savings proposals", "savings and investment proposals"));
    const last = (await query<{ user_id: number; organisation_id: string }>(
      "select user_id, organisation_id from document_updates where document_id = ? order by id desc limit 1",
      await docId(),
    ))[0];
    expect(last).toEqual({ user_id: await userId(ACCOUNTS.vcfCommenter), organisation_id: "radcliffe-community-food-network" });
    expect((await latestSuggestion()).status).toBe("accepted");
    // "Who wrote this" names the suggester and their organisation.
    const who = /data-testid="who-wrote">([\s\S]*?)<\/ul>/.exec(card(await page("nhsEditor"), SUGGESTION_ACTION))?.[1] ?? "";
    expect(who).toContain("Radcliffe Community Food Network");
    expect(who).toContain("Tom Fielding");
    // Deciding twice is refused.
    const twice = await postForm(server.url, `/plans/${PLAN_ID}`, cookies.councilEditor, { intent: "accept-suggestion", suggestionId: s.id });
    expect(twice.status).toBe(409);
  });

  it("changes nothing when a suggestion is rejected", async () => {
    const before = await storedParagraphs(await docId());
    expect((await suggest("vcfCommenter", "agreed by", "signed off by")).status).toBe(200);
    const s = await latestSuggestion();
    const updates = await updateCount();
    const rejected = await postForm(server.url, `/plans/${PLAN_ID}`, cookies.councilEditor, { intent: "reject-suggestion", suggestionId: s.id });
    expect(rejected.status).toBe(200);
    expect((await latestSuggestion()).status).toBe("rejected");
    expect(await updateCount()).toBe(updates);
    expect(await storedParagraphs(await docId())).toEqual(before);
  });

  it("refuses to apply a suggestion whose words have since been edited away, and says so", async () => {
    expect((await suggest("vcfCommenter", "by 31/12/22", "by the end of December 2022")).status).toBe(200);
    const s = await latestSuggestion();
    await editThroughSync("housingEditor", SUGGESTION_ACTION, "by 31/12/22", "before Christmas");
    const updates = await updateCount();
    const before = await storedParagraphs(await docId());
    const res = await postForm(server.url, `/plans/${PLAN_ID}`, cookies.housingEditor, { intent: "accept-suggestion", suggestionId: s.id });
    expect(res.status).toBe(409);
    expect(res.text).toContain("The text has moved on");
    expect(await updateCount()).toBe(updates);
    expect(await storedParagraphs(await docId())).toEqual(before);
    expect((await latestSuggestion()).status).toBe("open");
  });

  it("explains a quote that is not in the text", async () => {
    const res = await suggest("vcfCommenter", "words that are nowhere", "other words");
    expect(res.status).toBe(400);
    expect(res.text).toContain("is not in the current text");
  });
});
