/**
 * Comments and engagement proposals through the real app server process (production build): rights
 * on every route, moderation records, bad input, mentions, notifications and "changed since", and a
 * comment-only user who tries to change the text by HTTP or by hand-made WebSocket frames.
 */
import { WebSocket } from "ws";
import * as Y from "yjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { plainText, readParagraphs } from "../../server/documents/lexical-content";
import { findQuote } from "../../server/documents/text-anchors";
import { ACCOUNTS, login, postForm, startAppServer, type AppServer } from "../helpers/app-server";
import { sqlRows } from "../helpers/test-db";
import { createLexicalClient } from "../helpers/lexical-client";
import { syncUpdateFrame } from "../helpers/sync-harness";

const PROPOSAL = "community-engagement-strategy";
const OVERVIEW = `doc-${PROPOSAL}-overview`;
const PAGE = `/proposals/${PROPOSAL}`;

let server: AppServer;
const cookies = {} as Record<keyof typeof ACCOUNTS, string>;

beforeAll(async () => {
  server = await startAppServer();
  for (const key of Object.keys(ACCOUNTS) as (keyof typeof ACCOUNTS)[]) cookies[key] = await login(server.url, ACCOUNTS[key]);
}, 90_000);

afterAll(async () => {
  await server?.stop();
});

const query = <T>(sqlText: string, ...params: unknown[]): Promise<T[]> => sqlRows<T>(server.dbFile, sqlText, ...params);
const write = async (sqlText: string, ...params: unknown[]): Promise<void> => void (await sqlRows(server.dbFile, sqlText, ...params));

async function storedDoc(docId: string): Promise<Y.Doc> {
  const doc = new Y.Doc();
  for (const r of (await query<{ update: Uint8Array }>('select "update" from document_updates where document_id = ? order by id', docId))) {
    Y.applyUpdate(doc, r.update);
  }
  return doc;
}

const storedText = async (docId: string) => plainText(await storedDoc(docId));

/** Rows that any comment action could touch: compared before and after refused requests. */
async function commentState() {
  return {
    threads: await query("select * from comment_threads order by id"),
    comments: await query("select * from comments order by id"),
    events: (await query("select count(*) n from comment_events")),
    mentions: await query("select * from comment_mentions order by 1, 2"),
    notifications: (await query("select count(*) n from notifications")),
    updates: (await query("select count(*) n from document_updates")),
  };
}

/** Page HTML as text, without the comment markers React puts between adjacent text nodes. */
async function html(path: string, who: keyof typeof ACCOUNTS): Promise<string> {
  const res = await fetch(`${server.url}${path}`, { headers: { Cookie: cookies[who] } });
  expect(res.status).toBe(200);
  return (await res.text()).replace(/<!-- -->/g, "");
}

const post = (who: keyof typeof ACCOUNTS, fields: Record<string, string>) => postForm(server.url, PAGE, cookies[who], fields);

async function threads(who: keyof typeof ACCOUNTS) {
  const res = await fetch(`${server.url}${PAGE}/threads`, { headers: { Cookie: cookies[who] } });
  expect(res.status).toBe(200);
  return ((await res.json()) as { threads: ThreadJson[] }).threads;
}

interface ThreadJson {
  id: string;
  quote: string;
  status: string;
  detached: boolean;
  currentText: string | null;
  createdByName: string;
  createdByOrganisationName: string;
  comments: {
    id: number;
    authorName: string;
    authorOrganisationName: string;
    body: string | null;
    hidden: { byName: string; reason: string } | null;
  }[];
}

async function startThread(who: keyof typeof ACCOUNTS, quote: string, body: string) {
  const res = await post(who, { intent: "start-thread", documentId: OVERVIEW, quote, body });
  expect(res.status, res.text.slice(0, 500)).toBe(200);
  const thread = (await threads(who)).find((t) => t.quote === quote);
  expect(thread).toBeDefined();
  return thread!;
}

describe("commenting as a VCF group with no write right", () => {
  it("anchors a comment on selected words; author and organisation come from the session; the text is unchanged", async () => {
    const textBefore = await storedText(OVERVIEW);
    const words = "meaningful voice, co-design and collaboration";
    const [range] = findQuote(readParagraphs(await storedDoc(OVERVIEW)), words);
    const res = await post("vcfCommenter", {
      intent: "start-thread",
      documentId: OVERVIEW,
      quote: words,
      anchor: JSON.stringify(range),
      body: "Small groups want a real voice, not only a survey at the end.",
    });
    expect(res.status).toBe(200);
    const thread = (await threads("vcfCommenter")).find((t) => t.quote === words)!;
    expect(thread).toMatchObject({
      status: "open",
      detached: false,
      currentText: words,
      createdByName: "Tom Fielding",
      createdByOrganisationName: "Radcliffe Community Food Network",
    });
    expect(thread.comments[0]).toMatchObject({ authorName: "Tom Fielding", body: "Small groups want a real voice, not only a survey at the end." });
    expect(await storedText(OVERVIEW)).toBe(textBefore);
    // Tom's grant is "commenter": the mark was written by the server on his behalf, credited to him.
    const [row] = await query<{ role: string }>(
      "select role from plan_grants where plan_id = ? and organisation_id = 'radcliffe-community-food-network'",
      PROPOSAL,
    );
    expect(row.role).toBe("commenter");
    const [stored] = (await query<{ mark_update_id: number; user_id: number }>(
      "select t.mark_update_id, u.user_id from comment_threads t join document_updates u on u.id = t.mark_update_id where t.id = ?",
      thread.id,
    ));
    expect(stored.user_id).toBeGreaterThan(0);
  });

  it("finds the words when they are typed rather than selected, and asks again when they are ambiguous or gone", async () => {
    const thread = await startThread("vcfCommenter", "trust is often hard to gain", "Trust is built by acting on what we say.");
    expect(thread.currentText).toBe("trust is often hard to gain");
    const before = await commentState();
    const ambiguous = await post("vcfCommenter", { intent: "start-thread", documentId: OVERVIEW, quote: "the Council", body: "Which one?" });
    expect(ambiguous.status).toBe(409);
    expect(ambiguous.text).toContain("Those words appear");
    const missing = await post("vcfCommenter", { intent: "start-thread", documentId: OVERVIEW, quote: "words nobody wrote", body: "Hmm" });
    expect(missing.status).toBe(409);
    expect(missing.text).toContain("Those words are not in the text");
    expect(await commentState()).toEqual(before);
  });
});

describe("who may do what to a comment", () => {
  it("refuses to edit, delete or resolve another person's comment unless the role allows it", async () => {
    const thread = await startThread("vcfCommenter", "embed the cultural and workforce requirements", "Will VCF groups help shape the training?");
    const commentId = String(thread.comments[0].id);
    const before = await commentState();
    for (const who of ["councilEditor", "vcfAllianceEditor", "facilitator", "admin", "viewer"] as const) {
      const edit = await post(who, { intent: "edit-comment", commentId, body: "Rewritten by someone else" });
      expect(edit.status, who).toBe(403);
      expect(edit.text).toContain("You can only edit your own comments.");
      const del = await post(who, { intent: "delete-comment", commentId });
      expect(del.status, who).toBe(403);
    }
    // A viewer cannot resolve; nor can a commenter resolve a thread someone else started.
    expect((await post("viewer", { intent: "resolve-thread", threadId: thread.id })).status).toBe(403);
    expect((await post("vcfCommenter", { intent: "reopen-thread", threadId: "thr-seed-review-stages" })).status).toBe(403);
    expect(await commentState()).toEqual(before);

    // The author edits and deletes their own words; an editor resolves; the author reopens.
    expect((await post("vcfCommenter", { intent: "edit-comment", commentId, body: "Will VCF groups help shape the training, please?" })).status).toBe(200);
    expect((await post("vcfAllianceEditor", { intent: "resolve-thread", threadId: thread.id })).status).toBe(200);
    expect((await post("vcfCommenter", { intent: "reopen-thread", threadId: thread.id })).status).toBe(200);
    expect((await post("vcfCommenter", { intent: "delete-comment", commentId })).status).toBe(200);
    const after = (await threads("councilEditor")).find((t) => t.id === thread.id)!;
    expect(after.status).toBe("open");
    expect(after.comments[0].body).toBe("");
    const [row] = (await query<{ body: string; deleted_at: string | null }>("select body, deleted_at from comments where id = ?", commentId));
    expect(row.body).toBe("");
    expect(row.deleted_at).not.toBeNull();
  });

  it("lets only a facilitator hide a comment, and records who and why", async () => {
    const thread = await startThread("vcfCommenter", "Being clear about expectations", "This paragraph is off-topic rant material.");
    const commentId = String(thread.comments[0].id);
    expect((await post("councilEditor", { intent: "hide-comment", commentId, reason: "Not relevant" })).status).toBe(403);
    const noReason = await post("facilitator", { intent: "hide-comment", commentId, reason: "" });
    expect(noReason.status).toBe(400);
    expect(noReason.text).toContain("Give the reason for hiding this comment");

    const hide = await post("facilitator", { intent: "hide-comment", commentId, reason: "Breaks the ground rules on respect" });
    expect(hide.status).toBe(200);
    const [helen] = await query<{ id: number }>("select id from users where email = ?", ACCOUNTS.facilitator);
    const [row] = (await query<{ hidden_by: number; hidden_reason: string; hidden_at: string; body: string }>(
      "select hidden_by, hidden_reason, hidden_at, body from comments where id = ?",
      commentId,
    ));
    expect(row).toMatchObject({ hidden_by: helen.id, hidden_reason: "Breaks the ground rules on respect" });
    expect(row.hidden_at).not.toBeNull();
    expect(row.body).toBe("This paragraph is off-topic rant material."); // kept for the record
    const events = (await query<{ event: string; actor_user_id: number; actor_organisation_id: string; note: string }>(
      "select event, actor_user_id, actor_organisation_id, note from comment_events where comment_id = ? order by id",
      commentId,
    ));
    expect(events.at(-1)).toEqual({
      event: "hidden",
      actor_user_id: helen.id,
      actor_organisation_id: "bury-council",
      note: "Breaks the ground rules on respect",
    });
    // Others see who hid it and why, not the words; the author and facilitators still see the words.
    const forOthers = (await threads("councilEditor")).find((t) => t.id === thread.id)!.comments[0];
    expect(forOthers.body).toBeNull();
    expect(forOthers.hidden).toEqual(expect.objectContaining({ byName: "Helen Ashworth", reason: "Breaks the ground rules on respect" }));
    expect((await threads("vcfCommenter")).find((t) => t.id === thread.id)!.comments[0].body).toContain("off-topic");
    expect((await threads("facilitator")).find((t) => t.id === thread.id)!.comments[0].body).toContain("off-topic");
    // A hidden comment cannot be edited back into view by its author.
    expect((await post("vcfCommenter", { intent: "edit-comment", commentId, body: "Sneaky edit" })).status).toBe(403);
  });
});

describe("bad input", () => {
  it("gets a clear message and changes nothing", async () => {
    const before = await commentState();
    const thread = "thr-seed-small-groups";
    const cases: [Record<string, string>, number, string][] = [
      [{ intent: "start-thread", documentId: OVERVIEW, quote: "with defined review stages", body: "" }, 400, "Write a comment before sending it."],
      [{ intent: "start-thread", documentId: OVERVIEW, quote: "with defined review stages", body: "   " }, 400, "Write a comment before sending it."],
      [{ intent: "reply", threadId: thread, body: "x".repeat(10_000) }, 400, "Keep a comment under 5,000 characters"],
      [{ intent: "start-thread", documentId: OVERVIEW, quote: "with defined review stages", body: "y".repeat(10_000) }, 400, "Keep a comment under 5,000 characters"],
      [{ intent: "reply", threadId: "thr-does-not-exist", body: "Hello" }, 404, "That comment thread does not exist"],
      [{ intent: "resolve-thread", threadId: "thr-does-not-exist" }, 404, "That comment thread does not exist"],
      [{ intent: "edit-comment", commentId: "999999", body: "Hello" }, 404, "That comment does not exist"],
      [{ intent: "reply", threadId: thread, body: "Forged", authorUserId: "1", authorOrganisationId: "bury-council" }, 400, "such as an author"],
      [{ intent: "start-thread", documentId: OVERVIEW, quote: "with defined review stages", body: "Me", organisationId: "bury-council" }, 400, "such as an author"],
      [{ intent: "reply", threadId: thread, body: "Ask @Nowhere Trust and @VCF Alliance" }, 400, "No organisation is called “@Nowhere Trust”"],
      [{ intent: "start-thread", documentId: "doc-lets-do-it-action-plan-overview", quote: "equal terms", body: "Elsewhere" }, 404, "not part of this proposal"],
      [
        {
          intent: "start-thread",
          documentId: OVERVIEW,
          quote: "with defined review stages",
          anchor: JSON.stringify({ start: { block: 0, offset: 0 }, end: { block: 0, offset: 10 } }),
          body: "Stale selection",
        },
        409,
        "has changed since you selected it",
      ],
      [{ intent: "start-thread", documentId: OVERVIEW, quote: "with defined review stages", anchor: "{not json", body: "Hi" }, 400, "Select the words again"],
      [{ intent: "reply", threadId: "thr-seed-review-stages", body: "One more thing" }, 409, "This thread is resolved. Ask the person who started it"],
      [{ intent: "dance" }, 400, "That request was not understood"],
    ];
    for (const [fields, status, message] of cases) {
      const res = await post("vcfCommenter", fields);
      expect(res.status, JSON.stringify(fields).slice(0, 120)).toBe(status);
      expect(res.text).toContain(message);
    }
    expect(await commentState()).toEqual(before);
  });
});

describe("a comment-only user cannot change the proposal's text", () => {
  it("by any HTTP action", async () => {
    const before = { text: await storedText(OVERVIEW), updates: (await commentState()).updates };
    const attempts: Record<string, string>[] = [
      { intent: "create-commitment", title: "Commenter's commitment", description: "Inserted text" },
      { intent: "invite-commenters", organisationIds: "moorside-friends-and-neighbours" },
      {
        intent: "set-power-sharing",
        actionId: "act-ces-align-resources",
        stage: "plan",
        organisationId: "radcliffe-community-food-network",
        level: "empower",
        commitment: "We decide",
        reviewDate: "2023-01-01",
      },
    ];
    for (const fields of attempts) {
      const res = await post("vcfCommenter", fields);
      expect(res.status, fields.intent).toBe(403);
    }
    // The action plan page's own action is refused too (and the proposal is not an action plan).
    const plans = await postForm(server.url, `/plans/${PROPOSAL}`, cookies.vcfCommenter, { intent: "create-action", title: "x", priorityId: "p" });
    expect([302, 403, 404]).toContain(plans.status);
    expect(await storedText(OVERVIEW)).toBe(before.text);
    expect((await commentState()).updates).toEqual(before.updates);
  });

  it("by a hand-made WebSocket client sending update and sync-step-2 frames", async () => {
    const [tom] = await query<{ id: number }>("select id from users where email = ?", ACCOUNTS.vcfCommenter);
    const textBefore = await storedText(OVERVIEW);
    const rowsBefore = (await query<{ n: number }>("select count(*) n from document_updates where document_id = ?", OVERVIEW))[0].n;

    // A real Lexical edit of the current text, as a browser would make it.
    const base = await storedDoc(OVERVIEW);
    const lexical = createLexicalClient();
    Y.applyUpdate(lexical.doc, Y.encodeStateAsUpdate(base), "remote");
    const sv = Y.encodeStateVector(lexical.doc);
    lexical.insertText({ block: 0, offset: 0 }, "TOM WAS HERE. ");
    const edit = Y.encodeStateAsUpdate(lexical.doc, sv);
    expect(plainText(lexical.doc).startsWith("TOM WAS HERE.")).toBe(true);

    const ws = new WebSocket(`${server.url.replace("http", "ws")}/sync/${OVERVIEW}`, {
      headers: { Cookie: cookies.vcfCommenter, Origin: server.origin },
    });
    const frames: Buffer[] = [];
    ws.on("message", (data: Buffer) => frames.push(data));
    await new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("error", reject);
    });
    const closed = new Promise<number>((resolve) => ws.once("close", (code) => resolve(code)));
    ws.send(syncUpdateFrame(edit, "update"));
    ws.send(syncUpdateFrame(edit, "step2"));
    // A sync-step-2 that claims the whole edited document, too.
    ws.send(syncUpdateFrame(Y.encodeStateAsUpdate(lexical.doc), "step2"));
    // Let the server handle them; a ping round trip proves they were read.
    await new Promise<void>((resolve) => {
      ws.once("pong", () => resolve());
      ws.ping();
    });
    await new Promise((r) => setTimeout(r, 300));
    ws.close();
    await closed;

    expect(frames.length).toBeGreaterThan(0); // it was connected and served, read-only
    expect(await storedText(OVERVIEW)).toBe(textBefore);
    expect((await query<{ n: number }>("select count(*) n from document_updates where document_id = ?", OVERVIEW))[0].n).toBe(rowsBefore);
    // Every update ever credited to Tom in this document carries one of his comment marks, nothing else.
    const tomsRows = await query<{ id: number }>("select id from document_updates where document_id = ? and user_id = ?", OVERVIEW, tom.id);
    const markRows = await query<{ mark_update_id: number }>(
      "select mark_update_id from comment_threads where document_id = ? and created_by = ?",
      OVERVIEW,
      tom.id,
    );
    expect(tomsRows.map((r) => r.id).sort()).toEqual(markRows.map((r) => r.mark_update_id).sort());
  });
});

describe("mentions, notifications and what changed", () => {
  it("notifies the mentioned organisation's members and shows them in the notification list", async () => {
    const res = await post("vcfCommenter", {
      intent: "reply",
      threadId: "thr-seed-small-groups",
      body: "@VCF Alliance could we start with Radcliffe in June? @Bury College might lend rooms.",
    });
    expect(res.status).toBe(200);
    expect(res.text).toContain("Bury Voluntary, Community and Faith Alliance, Bury College were notified");
    const [joanne] = await query<{ id: number }>("select id from users where email = ?", ACCOUNTS.vcfAllianceEditor);
    const mentions = (await query<{ summary: string; read_at: string | null }>(
      "select summary, read_at from notifications where user_id = ? and kind = 'mention'",
      joanne.id,
    ));
    expect(mentions.at(-1)?.summary).toContain("Tom Fielding (Radcliffe Community Food Network) mentioned Bury Voluntary, Community and Faith Alliance");
    const list = await html("/notifications", "vcfAllianceEditor");
    expect(list).toContain("mentioned Bury Voluntary, Community and Faith Alliance");
    expect(list).toMatch(/data-testid="notifications-link"[^>]*>Notifications ?<span class="count-badge">[1-9]\d*<\/span>/);
    // Tom's own org and unrelated people are not notified.
    const [tom] = await query<{ id: number }>("select id from users where email = ?", ACCOUNTS.vcfCommenter);
    expect(await query("select * from notifications where user_id = ? and kind = 'mention'", tom.id)).toEqual([]);

    // Opening a notification marks it read and leads to the thread.
    const [first] = await query<{ id: number }>("select id from notifications where user_id = ? and read_at is null order by id desc", joanne.id);
    const open = await postForm(server.url, "/notifications", cookies.vcfAllianceEditor, { intent: "open", notificationId: String(first.id) });
    expect(open.status).toBe(302);
    expect((await query<{ read_at: string | null }>("select read_at from notifications where id = ?", first.id))[0].read_at).not.toBeNull();
    // Someone else's notification is not theirs to open.
    const other = await postForm(server.url, "/notifications", cookies.vcfCommenter, { intent: "open", notificationId: String(first.id) });
    expect(other.status).toBe(404);
  });

  it("shows on the proposal page what others changed since my last visit", async () => {
    const [rahul] = await query<{ id: number }>("select id from users where email = ?", ACCOUNTS.nhsEditor);
    const first = await html(PAGE, "nhsEditor");
    expect(first).toContain("This is your first visit to this proposal");
    // Two hours later (the visit is made to have ended then) ...
    const earlier = new Date(Date.now() - 2 * 3600_000).toISOString();
    await write("update proposal_visits set last_seen_at = ? where user_id = ? and plan_id = ?", earlier, rahul.id, PROPOSAL);
    await startThread("vcfCommenter", "how resource is targeted", "Small grants reach groups like ours faster than contracts.");
    expect(
      (
        await post("councilEditor", {
          intent: "set-power-sharing",
          actionId: "act-ces-align-resources",
          stage: "plan",
          organisationId: "bury-council",
          level: "involve",
          commitment: "Works with VCF groups on how funds are allocated.",
          reviewDate: "2023-02-28",
        })
      ).status,
    ).toBe(200);
    const page = await html(PAGE, "nhsEditor");
    expect(page).toContain("What changed since your last visit");
    expect(page).toContain("Tom Fielding (Radcliffe Community Food Network) commented on “how resource is targeted”");
    expect(page).toContain("Bury Council: Bury Council set its level to involve at the plan stage");
    // That page showed them: the next one lists only what happened after it ("mark as seen" too).
    expect(await html(PAGE, "nhsEditor")).not.toContain("commented on “how resource is targeted”");
    expect((await post("nhsEditor", { intent: "mark-seen" })).status).toBe(200);
    const after = await html(PAGE, "nhsEditor");
    expect(after).toContain("Nothing has changed since then.");
  });

  it("compares with what the person last saw, however soon they come back (first visit included)", async () => {
    const [aisha] = await query<{ id: number }>("select id from users where email = ?", ACCOUNTS.collegeEditor);
    expect(await html(PAGE, "collegeEditor")).toContain("This is your first visit to this proposal");
    // 29 minutes later, after someone else commented: used to say "first visit" and lose the comment.
    const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
    await write("update proposal_visits set last_seen_at = ? where user_id = ? and plan_id = ?", ago(29), aisha.id, PROPOSAL);
    await startThread("vcfCommenter", "the relationships to work through the challenges", "Which partners, and who decides?");
    const back = await html(PAGE, "collegeEditor");
    expect(back).not.toContain("This is your first visit");
    expect(back).toContain("commented on “the relationships to work through the challenges”");
    // That load (or a live page's refresh) is what the person saw: the next lists only what came after.
    await startThread("vcfCommenter", "how much space and control", "Power means budgets too.");
    const again = await html(PAGE, "collegeEditor");
    expect(again).toContain("commented on “how much space and control”");
    expect(again).not.toContain("commented on “the relationships to work through the challenges”");
  });

  it("lists proposals with open and resolved comment counts by organisation", async () => {
    const overview = await html("/proposals", "viewer");
    const open = (await query<{ n: number }>(
      "select count(*) n from comment_threads where plan_id = ? and status = 'open' and created_by_organisation_id = 'radcliffe-community-food-network'",
      PROPOSAL,
    ))[0].n;
    const resolved = (await query<{ n: number }>(
      "select count(*) n from comment_threads where plan_id = ? and status = 'resolved' and created_by_organisation_id = 'bury-vcf-alliance'",
      PROPOSAL,
    ))[0].n;
    expect(open).toBeGreaterThan(1);
    expect(overview).toContain(`Radcliffe Community Food Network: ${open} open / 0 resolved`);
    expect(overview).toContain(`Bury Voluntary, Community and Faith Alliance: 0 open / ${resolved} resolved`);
  });
});

describe("suggesting different words on a proposal (as on an action)", () => {
  const COMMITMENT = "act-ces-align-resources";
  const commitmentDoc = async () => (await query<{ document_id: string }>("select document_id from actions where id = ?", COMMITMENT))[0].document_id;
  const suggestions = async () =>
    (await query<{ id: string; subject_type: string; subject_id: string; document_id: string; author_user_id: number; status: string; quote: string }>(
      "select id, subject_type, subject_id, document_id, author_user_id, status, quote from suggestions where plan_id = ? order by created_at",
      PROPOSAL,
    ));

  it("lets a commenting VCF group suggest words for the proposal text and a commitment; an editor accepts, in their name", async () => {
    const [tom] = await query<{ id: number }>("select id from users where email = ?", ACCOUNTS.vcfCommenter);
    const textBefore = await storedText(OVERVIEW);
    const quote = "The 2021 peer challenge asked the Council";
    expect(textBefore).toContain(quote);
    const res = await post("vcfCommenter", {
      intent: "suggest",
      documentId: OVERVIEW,
      quote,
      replacement: "The 2021 peer challenge asked the Council and its partners",
      note: "It is a shared job.",
    });
    expect(res.status, res.text.slice(0, 300)).toBe(200);
    const mine = (await suggestions()).filter((s) => s.author_user_id === tom.id && s.document_id === OVERVIEW);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ subject_type: "proposal_text", subject_id: PROPOSAL, status: "open", quote });
    // Suggesting changes no text: an editor decides.
    expect(await storedText(OVERVIEW)).toBe(textBefore);

    const commitmentWords = readParagraphs((await storedDoc(await commitmentDoc())))[0].split(" ").slice(0, 4).join(" ");
    const onCommitment = await post("vcfCommenter", { intent: "suggest", documentId: await commitmentDoc(), quote: commitmentWords, replacement: "We will" });
    expect(onCommitment.status, onCommitment.text.slice(0, 300)).toBe(200);
    const commitmentDocId = await commitmentDoc();
    expect((await suggestions()).find((s) => s.document_id === commitmentDocId)).toMatchObject({ subject_type: "proposal_section", subject_id: COMMITMENT });

    // The page shows them, with accept for editors and withdraw for their author.
    expect(await html(PAGE, "nhsEditor")).toContain("suggests replacing");
    expect(await html(PAGE, "vcfCommenter")).toContain("Withdraw my suggestion");

    // A commenter cannot accept their own (or anyone's) suggestion.
    expect((await post("vcfCommenter", { intent: "accept-suggestion", suggestionId: mine[0].id })).status).toBe(403);
    const accepted = await post("nhsEditor", { intent: "accept-suggestion", suggestionId: mine[0].id });
    expect(accepted.status, accepted.text.slice(0, 300)).toBe(200);
    expect(await storedText(OVERVIEW)).toContain("The 2021 peer challenge asked the Council and its partners");
    const [last] = await query<{ user_id: number }>("select user_id from document_updates where document_id = ? order by id desc limit 1", OVERVIEW);
    expect(last.user_id).toBe(tom.id);
  });

  it("refuses viewers, documents of other plans and words that are not there, with a sentence", async () => {
    const before = (await suggestions()).length;
    const viewer = await post("viewer", { intent: "suggest", documentId: OVERVIEW, quote: "peer challenge", replacement: "review" });
    expect(viewer.status).toBe(403);
    const [other] = await query<{ id: string }>("select id from documents where plan_id != ? limit 1", PROPOSAL);
    const elsewhere = await post("vcfCommenter", { intent: "suggest", documentId: other.id, quote: "the", replacement: "a" });
    expect(elsewhere.status).toBe(404);
    const missing = await post("vcfCommenter", { intent: "suggest", documentId: OVERVIEW, quote: "words nobody wrote", replacement: "x" });
    expect(missing.status).toBe(400);
    expect(missing.text).toContain("is not in the current text");
    expect(await suggestions()).toHaveLength(before);
  });
});
