import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCOUNTS, login, postForm, startAppServer, type AppServer } from "../helpers/app-server";
import { get, linkIn, MAIL_ENV, onServer, post, sql } from "../helpers/people";
import { SmtpSink } from "../helpers/smtp-sink";

let server: AppServer;
let sink: SmtpSink;
let admin: string;

beforeAll(async () => {
  sink = await SmtpSink.start();
  server = await startAppServer({ env: MAIL_ENV(sink.url) });
  admin = await login(server.url, ACCOUNTS.admin);
}, 90_000);
afterAll(async () => {
  await server?.stop();
  await sink?.close();
});

const invite = (cookie: string, email: string, systemRole = "member", name = "Priya Shah") =>
  postForm(server.url, "/admin", cookie, { intent: "invite", name, email, organisationId: "bury-vcf-alliance", systemRole });

describe("invitations: the person chooses their own password", () => {
  it("invite → email received by SMTP → follow the link → set a password → signed in; the link works once", async () => {
    const email = "priya.shah@bury-vcf.example";
    const res = await invite(admin, email);
    expect(res.status).toBe(200);
    expect(res.text).toContain("Invitation sent to Priya Shah");
    await sink.waitFor(() => sink.to(email).length === 1, "the invitation");
    const mail = sink.to(email)[0]!;
    expect(mail.subject).toBe("You have been invited to the Co-design Workspace");
    expect(mail.text).toContain("Daniel Okafor has invited you");
    expect(mail.text).toContain("as a member for Bury Voluntary, Community and Faith Alliance.");
    const link = linkIn(mail.text, "/welcome");
    expect(mail.html).toContain(`href="${link}"`);

    // Not yet a password anyone could guess: the account cannot sign in before accepting.
    expect((await post(`${server.url}/login`, { email, password: "" })).status).toBe(400);

    const page = await get(onServer(server.url, link));
    expect(page.status).toBe(200);
    expect(page.text).toContain("Welcome, Priya Shah");
    const token = new URL(link).searchParams.get("token")!;

    const short = await post(onServer(server.url, link), { token, password: "too-short", confirm: "too-short" });
    expect(short.status).toBe(400);
    expect(short.text).toContain("at least 12 characters");
    const mismatch = await post(onServer(server.url, link), { token, password: "a good long password", confirm: "another long password" });
    expect(mismatch.status).toBe(400);
    expect(mismatch.text).toContain("not the same");

    const accepted = await post(onServer(server.url, link), { token, password: "kettle harbour violet", confirm: "kettle harbour violet" });
    expect(accepted.status).toBe(302);
    expect(accepted.location).toBe("/dashboard?welcome=1");
    expect(accepted.cookie).toMatch(/^cdw_session=[^;]+$/);
    const dashboard = await get(`${server.url}/dashboard`, accepted.cookie!);
    expect(dashboard.status).toBe(200);
    expect(dashboard.text).toContain("Priya Shah");

    const [row] = await sql<{ password_hash: string }>(server.dbFile, "select password_hash from users where email = ?", email);
    expect(row!.password_hash).toMatch(/^\$argon2id\$/);

    // Single use: the same link now answers 410 with what to do, and setting a password with it fails.
    const again = await get(onServer(server.url, link));
    expect(again.status).toBe(410);
    expect(again.text).toContain("This invitation link cannot be used");
    const reuse = await post(onServer(server.url, link), { token, password: "someone else's password", confirm: "someone else's password" });
    expect(reuse.status).toBe(410);
    expect(reuse.text).toContain("already been used, or it has expired");
    // The chosen password signs in.
    await login(server.url, email, "kettle harbour violet");
  });

  it("an invitation link expires after 7 days", async () => {
    const email = "late.reader@bury-vcf.example";
    expect((await invite(admin, email, "member", "Late Reader")).status).toBe(200);
    await sink.waitFor(() => sink.to(email).length === 1, "the invitation");
    const link = linkIn(sink.to(email)[0]!.text, "/welcome");
    const [t] = await sql<{ created_at: string; expires_at: string }>(
      server.dbFile,
      "select t.created_at, t.expires_at from account_tokens t join users u on u.id = t.user_id where u.email = ?",
      email,
    );
    expect(Date.parse(t!.expires_at) - Date.parse(t!.created_at)).toBe(7 * 86_400_000);
    // Seven days and a minute later (the clock moved by rewriting the stored times).
    await sql(server.dbFile, "update account_tokens set created_at = ?, expires_at = ? where expires_at = ?",
      new Date(Date.now() - 7 * 86_400_000 - 60_000).toISOString(), new Date(Date.now() - 60_000).toISOString(), t!.expires_at);
    expect((await get(onServer(server.url, link))).status).toBe(410);
    const token = new URL(link).searchParams.get("token")!;
    expect((await post(onServer(server.url, link), { token, password: "kettle harbour violet", confirm: "kettle harbour violet" })).status).toBe(410);
  });

  it("inviting again sends a new link and the old one stops working", async () => {
    const email = "twice.invited@bury-vcf.example";
    await invite(admin, email, "member", "Twice Invited");
    await sink.waitFor(() => sink.to(email).length === 1, "the first invitation");
    await invite(admin, email, "member", "Twice Invited");
    await sink.waitFor(() => sink.to(email).length === 2, "the second invitation");
    const [first, second] = sink.to(email).map((m) => linkIn(m.text, "/welcome"));
    expect(first).not.toBe(second);
    expect((await get(onServer(server.url, first!))).status).toBe(410);
    expect((await get(onServer(server.url, second!))).status).toBe(200);
  });

  it("a facilitator invites members and facilitators, not administrators; a member invites nobody", async () => {
    const facilitator = await login(server.url, ACCOUNTS.facilitator);
    expect((await invite(facilitator, "by.facilitator@bury-vcf.example", "facilitator", "By Facilitator")).status).toBe(200);
    const asAdmin = await invite(facilitator, "would.be.admin@bury-vcf.example", "admin", "Would Be");
    expect(asAdmin.status).toBe(403);
    expect(asAdmin.text).toContain("Only an administrator can invite another administrator");
    const member = await login(server.url, ACCOUNTS.councilEditor);
    expect((await invite(member, "by.member@bury-vcf.example")).status).toBe(403);
    expect(await sql(server.dbFile, "select id from users where email in ('would.be.admin@bury-vcf.example', 'by.member@bury-vcf.example')")).toEqual([]);
    // An account that exists already is not invited again.
    const existing = await invite(admin, ACCOUNTS.viewer);
    expect(existing.status).toBe(409);
  });
});
