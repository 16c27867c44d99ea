/**
 * Issue 13, personal data (UK GDPR), against the production build in its own process: a person's
 * download holds a comment they wrote; after an administrator erases a person no text column of
 * any table (found from the database's own schema, JSON and documents' plain text included) holds
 * their name or email, their contributions are all still there, and their sockets are closed.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { USER_COLUMNS } from "../../db/queries/personal-data";
import { ACCOUNTS, login, postForm, startAppServer, type AppServer } from "../helpers/app-server";
import { get, MAIL_ENV, post, sql } from "../helpers/people";
import { SmtpSink } from "../helpers/smtp-sink";
import { textColumns } from "../helpers/test-db";
import { connectClient, waitForSync } from "../helpers/yjs-client";

const DOC_ID = "doc-act-p-bgi-1-3";
let server: AppServer;
let sink: SmtpSink;

beforeAll(async () => {
  sink = await SmtpSink.start();
  server = await startAppServer({ env: MAIL_ENV(sink.url) });
}, 90_000);
afterAll(async () => {
  await server?.stop();
  await sink?.close();
});

/** Every text column of every table, read from the database's own catalogue: a table added later is scanned too. */
async function textHits(dbFile: string, needles: string[]): Promise<string[]> {
  const columns = await textColumns(dbFile);
  const hits: string[] = [];
  for (const needle of needles) {
    // One query per needle: a count for each column.
    const counts = await sql<{ at: string; n: number }>(
      dbFile,
      columns.map(({ table, column, contains }) => `select '${table}.${column}' as at, count(*) as n from "${table}" where ${contains}`).join(" union all "),
      ...columns.map(() => needle),
    );
    for (const { at, n } of counts) if (n > 0) hits.push(`${at} (${n}× "${needle}")`);
  }
  return hits;
}

/** Rows that reference the person in every table, except what erasure removes by design. */
async function contributionCounts(dbFile: string, userId: number): Promise<Record<string, number>> {
  const removed = new Set(["sessions", "account_tokens", "identity_links", "proposal_visits", "mail_outbox", "users"]);
  const out: Record<string, number> = {};
  for (const [table, columns] of Object.entries(USER_COLUMNS)) {
    if (columns.length === 0 || removed.has(table)) continue;
    const where = columns.map((c) => `"${c}" = ?`).join(" or ");
    out[table] = (await sql<{ n: number }>(dbFile, `select count(*) as n from "${table}" where ${where}`, ...columns.map(() => userId)))[0]!.n;
  }
  return out;
}

describe("downloading one's own data", () => {
  it("the JSON and the readable page hold a comment the person wrote, and no secrets", async () => {
    // Whoever wrote the demo's first comment (and is not the person the erasure test erases).
    const [comment] = await sql<{ id: number; body: string; email: string }>(
      server.dbFile,
      "select c.id, c.body, u.email from comments c join users u on u.id = c.author_user_id where u.email != ? order by c.id limit 1",
      ACCOUNTS.councilEditor,
    );
    expect(comment, "the demo has comments").toBeDefined();
    const email = comment!.email;
    const cookie = await login(server.url, email);

    const res = await fetch(`${server.url}/account/data.json`, { headers: { Cookie: cookie } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="co-design-workspace-my-data-\d{4}-\d{2}-\d{2}\.json"$/);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const data = (await res.json()) as { profile: { email: string }; tables: Record<string, Record<string, unknown>[]> };
    expect(data.profile.email).toBe(email);
    expect(data.tables.comments?.map((c) => c.body)).toContain(comment!.body);
    expect(data.tables.sessions?.length).toBeGreaterThanOrEqual(1);
    const raw = JSON.stringify(data);
    expect(raw).not.toMatch(/password_hash|id_hash|token_hash|\$argon2/);

    const page = await get(`${server.url}/account/data`, cookie);
    expect(page.status).toBe(200);
    const escaped = comment!.body.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#x27;");
    expect(page.text).toContain(escaped.slice(0, 60));
    expect(page.text).toContain("Comments you wrote or hid");

    const account = await get(`${server.url}/account`, cookie);
    expect(account.text).toContain('href="/account/data.json"');
    expect(account.text).toContain('href="/account/data"');
    // Signed out: no data.
    expect((await get(`${server.url}/account/data.json`)).status).toBe(302);
  });
});

describe("an administrator erases a person", () => {
  it("refuses bad requests with a sentence, then erases: no text column holds the name or email, contributions stay, sockets close", async () => {
    const email = ACCOUNTS.councilEditor;
    const [person] = await sql<{ id: number; name: string; organisation: string }>(
      server.dbFile,
      "select u.id, u.name, o.name as organisation from users u join organisations o on o.id = u.organisation_id where u.email = ?",
      email,
    );
    const admin = await login(server.url, ACCOUNTS.admin);
    const [adminRow] = await sql<{ id: number }>(server.dbFile, "select id from users where email = ?", ACCOUNTS.admin);

    // Their name and email copied into other rows: a reset email in the outbox and someone else's comment.
    await post(`${server.url}/forgot-password`, { email });
    await sink.waitFor((m) => m.some((x) => x.to.includes(email)), "the reset email");
    const [thread] = await sql<{ id: string }>(server.dbFile, "select id from comment_threads order by id limit 1");
    await sql(
      server.dbFile,
      "insert into comments (thread_id, author_user_id, author_organisation_id, body, created_at) values (?, ?, 'bury-council', ?, ?)",
      thread!.id,
      adminRow!.id,
      `Thanks ${person!.name}, I'll reply to ${email} too.`,
      new Date().toISOString(),
    );
    const before = await textHits(server.dbFile, [person!.name, email]);
    // The scan can fail: before erasure it finds them beyond their own account row.
    expect(before.filter((h) => !h.startsWith("users.")).length).toBeGreaterThan(0);
    const counts = await contributionCounts(server.dbFile, person!.id);
    expect(counts.comments! + counts.audit_log! + counts.document_updates!).toBeGreaterThan(0);
    const totalComments = (await sql<{ n: number }>(server.dbFile, "select count(*) as n from comments"))[0]!.n;

    const cookie = await login(server.url, email);
    const socket = connectClient(server.url, DOC_ID, cookie);
    await waitForSync(socket);

    const page = await get(`${server.url}/admin/people/${person!.id}/erase`, admin);
    expect(page.status).toBe(200);
    expect(page.text).toContain("This cannot be undone.");
    expect(page.text).toContain(`Former member of ${person!.organisation}`);

    // Bad input: 4xx and a sentence, nothing erased.
    const unconfirmed = await postForm(server.url, `/admin/people/${person!.id}/erase`, admin, {});
    expect(unconfirmed.status).toBe(400);
    expect(unconfirmed.text).toContain("Tick the box to confirm you want to erase this person.");
    const self = await postForm(server.url, `/admin/people/${adminRow!.id}/erase`, admin, { confirm: "yes" });
    expect(self.status).toBe(400);
    expect(self.text).toContain("You cannot erase your own account.");
    expect((await postForm(server.url, `/admin/people/999999/erase`, admin, { confirm: "yes" })).status).toBe(404);
    expect((await postForm(server.url, `/admin/people/not-a-number/erase`, admin, { confirm: "yes" })).status).toBe(404);
    const member = await login(server.url, ACCOUNTS.housingEditor);
    const refused = await postForm(server.url, `/admin/people/${person!.id}/erase`, member, { confirm: "yes" });
    expect(refused.status).toBe(403);
    expect(refused.text).toContain("Only an administrator can erase");
    expect((await sql<{ name: string }>(server.dbFile, "select name from users where id = ?", person!.id))[0]!.name).toBe(person!.name);

    const done = await postForm(server.url, `/admin/people/${person!.id}/erase`, admin, { confirm: "yes" });
    expect(done.status).toBe(302);
    expect(await Promise.race([socket.closed, new Promise((r) => setTimeout(() => r("still open"), 1000))])).toMatchObject({ code: 4401 });
    socket.destroy();

    expect(await textHits(server.dbFile, [person!.name, email])).toEqual([]);
    expect(await contributionCounts(server.dbFile, person!.id)).toEqual(counts);
    expect((await sql<{ n: number }>(server.dbFile, "select count(*) as n from comments"))[0]!.n).toBe(totalComments);
    const [after] = await sql<{ name: string; erased_at: string | null }>(server.dbFile, "select name, erased_at from users where id = ?", person!.id);
    expect(after).toMatchObject({ name: `Former member of ${person!.organisation}` });
    expect(after!.erased_at).not.toBeNull();
    expect((await sql<{ n: number }>(server.dbFile, "select count(*) as n from sessions where user_id = ?", person!.id))[0]!.n).toBe(0);
    expect((await sql<{ n: number }>(server.dbFile, "select count(*) as n from mail_outbox where to_user_id = ?", person!.id))[0]!.n).toBe(0);
    // The comment someone else wrote keeps its words, with the label in place of the name.
    expect((await sql<{ n: number }>(server.dbFile, "select count(*) as n from comments where body like ?", `Thanks Former member of ${person!.organisation},%`))[0]!.n).toBe(1);
    // Signed out, and cannot sign in.
    expect((await get(`${server.url}/dashboard`, cookie)).status).toBe(302);
    const again = await postForm(server.url, `/admin/people/${person!.id}/erase`, admin, { confirm: "yes" });
    expect(again.status).toBe(409);
    expect(again.text).toContain("already been erased");
    const admin2 = await get(`${server.url}/admin`, admin);
    expect(admin2.text).toContain(`Former member of ${person!.organisation}`);
  });
});
