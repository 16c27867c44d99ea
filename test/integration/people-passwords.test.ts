import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCOUNTS, DEMO_PASSWORD, login, postForm, startAppServer, type AppServer } from "../helpers/app-server";
import { get, linkIn, MAIL_ENV, onServer, post, sql } from "../helpers/people";
import { SmtpSink } from "../helpers/smtp-sink";
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

/** Resolves with the close event, or "still open" after `ms`. */
function closedWithin(client: ReturnType<typeof connectClient>, ms: number) {
  return Promise.race([client.closed, new Promise<string>((r) => setTimeout(() => r("still open"), ms))]);
}

describe("forgot your password", () => {
  it("an unknown address gets the same answer as a known one, and nothing is sent", async () => {
    const known = await post(`${server.url}/forgot-password`, { email: ACCOUNTS.housingEditor });
    const unknown = await post(`${server.url}/forgot-password`, { email: "nobody.here@bury.example" });
    expect(known.status).toBe(200);
    expect(unknown.status).toBe(200);
    const strip = (t: string, email: string) => t.split(email).join("ADDRESS").replace(/nonce="[^"]+"/g, "");
    expect(strip(unknown.text, "nobody.here@bury.example")).toBe(strip(known.text, ACCOUNTS.housingEditor));
    expect(known.text).toContain("Check your email");
    await sink.waitFor(() => sink.to(ACCOUNTS.housingEditor).length === 1, "the reset email");
    await new Promise((r) => setTimeout(r, 1000));
    expect(sink.to("nobody.here@bury.example")).toEqual([]);
    expect(await sql(server.dbFile, "select id from mail_outbox where to_address = 'nobody.here@bury.example'")).toEqual([]);
  });

  it("the link (valid one hour, single use) sets a new password, ends other sessions and closes their sockets within 1 s", async () => {
    const email = ACCOUNTS.collegeEditor;
    const other = await login(server.url, email);
    const socket = connectClient(server.url, DOC_ID, other);
    await waitForSync(socket);
    await post(`${server.url}/forgot-password`, { email });
    await sink.waitFor(() => sink.to(email).length === 1, "the reset email");
    const link = linkIn(sink.to(email)[0]!.text, "/reset-password");
    const [t] = await sql<{ created_at: string; expires_at: string }>(server.dbFile,
      "select t.created_at, t.expires_at from account_tokens t join users u on u.id = t.user_id where u.email = ? and t.purpose = 'password_reset'", email);
    expect(Date.parse(t!.expires_at) - Date.parse(t!.created_at)).toBe(3_600_000);
    const token = new URL(link).searchParams.get("token")!;

    const started = Date.now();
    const reset = await post(onServer(server.url, link), { token, password: "new lantern orchard", confirm: "new lantern orchard" });
    expect(reset.status).toBe(302);
    expect(reset.cookie).toMatch(/^cdw_session=[^;]+$/);
    expect(await closedWithin(socket, 1000)).toMatchObject({ code: 4401 });
    expect(Date.now() - started).toBeLessThan(2000);
    socket.destroy();
    expect((await get(`${server.url}/dashboard`, other)).status).toBe(302);
    expect((await get(`${server.url}/dashboard`, reset.cookie!)).status).toBe(200);
    expect((await get(onServer(server.url, link))).status).toBe(410);
    expect((await post(`${server.url}/login`, { email, password: DEMO_PASSWORD })).status).toBe(401);
    await login(server.url, email, "new lantern orchard");
  });

  it("a reset link stops working after an hour", async () => {
    const email = ACCOUNTS.nhsEditor;
    await post(`${server.url}/forgot-password`, { email });
    await sink.waitFor(() => sink.to(email).length === 1, "the reset email");
    const link = linkIn(sink.to(email)[0]!.text, "/reset-password");
    await sql(server.dbFile, "update account_tokens set expires_at = ? where purpose = 'password_reset' and used_at is null and user_id = (select id from users where email = ?)",
      new Date(Date.now() - 1000).toISOString(), email);
    const token = new URL(link).searchParams.get("token")!;
    expect((await get(onServer(server.url, link))).status).toBe(410);
    expect((await post(onServer(server.url, link), { token, password: "new lantern orchard", confirm: "new lantern orchard" })).status).toBe(410);
  });
});

describe("changing one's own password on /account", () => {
  it("keeps this session, ends the others and closes their sockets within 1 s", async () => {
    const email = ACCOUNTS.vcfAllianceEditor;
    const here = await login(server.url, email);
    const elsewhere = await login(server.url, email);
    const mine = connectClient(server.url, DOC_ID, here);
    const theirs = connectClient(server.url, DOC_ID, elsewhere);
    await Promise.all([waitForSync(mine), waitForSync(theirs)]);
    const wrong = await postForm(server.url, "/account", here, { current: "not my password", password: "river copper meadow", confirm: "river copper meadow" });
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain("Your current password is not right");
    const ok = await postForm(server.url, "/account", here, { current: DEMO_PASSWORD, password: "river copper meadow", confirm: "river copper meadow" });
    expect(ok.status).toBe(200);
    expect(ok.text).toContain("Your password has been changed");
    expect(await closedWithin(theirs, 1000)).toMatchObject({ code: 4401 });
    expect(await closedWithin(mine, 300)).toBe("still open");
    mine.destroy();
    theirs.destroy();
    expect((await get(`${server.url}/account`, here)).status).toBe(200);
    expect((await get(`${server.url}/account`, elsewhere)).status).toBe(302);
    await login(server.url, email, "river copper meadow");
  });
});

describe("deactivating a person (admin)", () => {
  it("ends their sessions, closes their sockets at once, refuses sign-in with a sentence, and keeps their contributions", async () => {
    const email = ACCOUNTS.councilEditor;
    const [person] = await sql<{ id: number; name: string }>(server.dbFile, "select id, name from users where email = ?", email);
    const count = async () =>
      (await sql<{ n: number }>(server.dbFile, "select (select count(*) from audit_log where actor_user_id = ?) + (select count(*) from document_updates where user_id = ?) as n", person!.id, person!.id))[0]!.n;
    const cookie = await login(server.url, email);
    const socket = connectClient(server.url, DOC_ID, cookie);
    await waitForSync(socket);
    const before = await count();
    const admin = await login(server.url, ACCOUNTS.admin);
    const res = await postForm(server.url, "/admin", admin, { intent: "deactivate", userId: String(person!.id) });
    expect(res.status).toBe(200);
    expect(await closedWithin(socket, 1000)).toMatchObject({ code: 4401 });
    socket.destroy();
    expect((await get(`${server.url}/dashboard`, cookie)).status).toBe(302);
    const refused = await post(`${server.url}/login`, { email, password: DEMO_PASSWORD });
    expect(refused.status).toBe(403);
    expect(refused.text).toContain("This account has been deactivated, so it cannot sign in");
    expect(await count()).toBe(before);
    expect((await sql<{ name: string }>(server.dbFile, "select name from users where id = ?", person!.id))[0]!.name).toBe(person!.name);
    // Nor can they get back in through a reset link.
    await post(`${server.url}/forgot-password`, { email });
    await new Promise((r) => setTimeout(r, 800));
    expect(sink.to(email)).toEqual([]);
    // Members cannot deactivate anyone.
    const member = await login(server.url, ACCOUNTS.housingEditor);
    expect((await postForm(server.url, "/admin", member, { intent: "deactivate", userId: "1" })).status).toBe(403);
  });
});
