/**
 * Notification emails (issue 13) with a real SMTP server in the test process: an email sent at
 * once carries its unsubscribe headers; the one-click unsubscribe works without a session; a
 * person's choices are honoured; the email is written in the event's own transaction; the daily
 * summary holds exactly what is new and is not sent when nothing is.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inTransaction, type DB } from "../../db/connection";
import { seedDatabase } from "../../seeds/load";
import { nameOwnerIn } from "../../server/domain/ownership";
import { createMailSender } from "../../server/mail/sender";
import { smtpTransport } from "../../server/mail/transport";
import { runDigests } from "../../server/notifications/digest";
import { notifyPeople } from "../../server/notifications/notify";
import { configureNotificationMail } from "../../server/notifications/settings";
import { ACCOUNTS, login, PLAN_ID, postForm, reopenSeededPlan, startAppServer, type AppServer } from "../helpers/app-server";
import { get, MAIL_ENV, sql } from "../helpers/people";
import { SmtpSink, type ReceivedMail } from "../helpers/smtp-sink";
import { openFreshDatabase, type FreshDatabase } from "../helpers/test-db";

const NEXT_PLAN = "let-s-do-it-partnership-action-plan-2026-27";

function header(raw: string, name: string): string {
  const head = (raw.split(/\r?\n\r?\n/)[0] ?? "").replace(/\r?\n[ \t]+/g, " ");
  const line = head.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line ? line.slice(name.length + 1).trim() : "";
}

async function actionWithout(dbFile: string, organisationId: string, skip = 0): Promise<string> {
  const rows = await sql<{ id: string }>(
    dbFile,
    "select id from actions a where plan_id = ? and not exists (select 1 from action_owners o where o.action_id = a.id and o.organisation_id = ?) order by position",
    NEXT_PLAN,
    organisationId,
  );
  return rows[skip]!.id;
}

describe("notification emails through the running server", () => {
  let server: AppServer;
  let sink: SmtpSink;
  let facilitator: string;

  beforeAll(async () => {
    sink = await SmtpSink.start();
    server = await startAppServer({ env: MAIL_ENV(sink.url) });
    facilitator = await login(server.url, ACCOUNTS.facilitator);
  }, 90_000);
  afterAll(async () => {
    await server?.stop();
    await sink?.close();
  });

  let unsubscribeUrl = "";

  it("an ownership request emails the organisation's editor at once, with List-Unsubscribe headers and both parts", async () => {
    const actionId = await actionWithout(server.dbFile, "nhs-bury-ccg");
    const res = await postForm(server.url, "/dashboard", facilitator, { intent: "name-owner", actionId, organisationId: "nhs-bury-ccg", role: "support" });
    expect(res.status, res.text.slice(0, 300)).toBe(200);
    await sink.waitFor(() => sink.to(ACCOUNTS.nhsEditor).length === 1, "the request email");
    const mail: ReceivedMail = sink.to(ACCOUNTS.nhsEditor)[0]!;
    expect(mail.subject).toBe("Your organisation is asked to lead or support an action");
    expect(mail.text).toContain("Helen Ashworth (Bury Council) asks NHS Bury CCG to support");
    expect(mail.text).toContain(`https://codesign.bury.example/plans/${NEXT_PLAN}?action=${actionId}`);
    expect(mail.html).toContain('<html lang="en-GB">');
    expect(mail.html).toMatch(/<h1[^>]*>Your organisation is asked to lead or support an action<\/h1>/);
    expect(mail.html).toContain(`href="https://codesign.bury.example/plans/${NEXT_PLAN}?action=${actionId}`);
    const list = header(mail.raw, "List-Unsubscribe");
    expect(list).toMatch(/^<https:\/\/codesign\.bury\.example\/unsubscribe\?token=[^>]+>$/);
    expect(header(mail.raw, "List-Unsubscribe-Post")).toBe("List-Unsubscribe=One-Click");
    unsubscribeUrl = list.slice(1, -1);
    expect(mail.html).toContain(`href="${unsubscribeUrl}"`);
    expect(mail.text).toContain(unsubscribeUrl);
  });

  it("the unsubscribe link shows a confirm page and one-click POST works with no session and no Origin", async () => {
    const path = new URL(unsubscribeUrl).pathname + new URL(unsubscribeUrl).search;
    const page = await get(`${server.url}${path}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain("Stop emails about requests for your organisation to lead or support an action?");
    // A GET (a mail scanner following the link) changes nothing.
    const [rahul] = await sql<{ id: number }>(server.dbFile, "select id from users where email = ?", ACCOUNTS.nhsEditor);
    expect(await sql(server.dbFile, "select * from notification_preferences where user_id = ?", rahul!.id)).toEqual([]);

    const oneClick = await fetch(`${server.url}${path}`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "List-Unsubscribe=One-Click",
      redirect: "manual",
    });
    expect(oneClick.status).toBe(200);
    expect(await sql(server.dbFile, "select kind, delivery from notification_preferences where user_id = ?", rahul!.id)).toEqual([
      { kind: "ownership_request", delivery: "off" },
    ]);

    // A forged token changes nothing and says what to do.
    const forged = await fetch(`${server.url}/unsubscribe?token=${rahul!.id}.mention.${"A".repeat(43)}`, { method: "POST", body: "List-Unsubscribe=One-Click", headers: { "Content-Type": "application/x-www-form-urlencoded" } });
    expect(forged.status).toBe(400);
    expect(await forged.text()).toContain("not made by this workspace");
  });

  it("preferences are honoured: after unsubscribing, a new request is in the app but not emailed; 'at once' chosen on /account emails again", async () => {
    const before = sink.to(ACCOUNTS.nhsEditor).length;
    const second = await actionWithout(server.dbFile, "nhs-bury-ccg", 1);
    expect((await postForm(server.url, "/dashboard", facilitator, { intent: "name-owner", actionId: second, organisationId: "nhs-bury-ccg", role: "support" })).status).toBe(200);
    const nhs = await login(server.url, ACCOUNTS.nhsEditor);
    const dashboard = await get(`${server.url}/dashboard`, nhs);
    expect(dashboard.text).toContain(`data-inbox-key="ownership:${second}:nhs-bury-ccg:support"`);

    // Rahul asks for them at once again on his account page.
    const account = await get(`${server.url}/account`, nhs);
    expect(account.text).toContain("Emails about your notifications");
    const saved = await postForm(server.url, "/account", nhs, { intent: "email-preferences", ownership_request: "immediate", mention: "digest" });
    expect(saved.status).toBe(200);
    expect(saved.text).toContain("Your email choices have been saved.");
    const bad = await postForm(server.url, "/account", nhs, { intent: "email-preferences", mention: "sometimes" });
    expect(bad.status).toBe(400);
    const third = await actionWithout(server.dbFile, "nhs-bury-ccg", 2);
    expect((await postForm(server.url, "/dashboard", facilitator, { intent: "name-owner", actionId: third, organisationId: "nhs-bury-ccg", role: "support" })).status).toBe(200);
    await sink.waitFor(() => sink.to(ACCOUNTS.nhsEditor).length === before + 1, "the request email after choosing 'at once'");
    expect(sink.to(ACCOUNTS.nhsEditor).at(-1)!.text).toContain(third);
    // The second request (while unsubscribed) never reached the outbox.
    const rows = await sql<{ text_body: string }>(server.dbFile, "select text_body from mail_outbox where to_address = ?", ACCOUNTS.nhsEditor);
    expect(rows.some((r) => r.text_body.includes(second))).toBe(false);
  });
});

describe("a sign-off owed", () => {
  let server: AppServer;
  let sink: SmtpSink;

  beforeAll(async () => {
    sink = await SmtpSink.start();
    server = await startAppServer({ env: MAIL_ENV(sink.url) });
    await reopenSeededPlan(server.url);
  }, 90_000);
  afterAll(async () => {
    await server?.stop();
    await sink?.close();
  });

  it("when a partner signs, the other named organisation's editors are told, by email as they chose", async () => {
    // Led by Bury Council, supported by the VCF Alliance (both accepted in the seed data).
    const actionId = "act-p-ops-2-1";
    const joanne = await login(server.url, ACCOUNTS.vcfAllianceEditor);
    expect((await postForm(server.url, "/account", joanne, { intent: "email-preferences", sign_off_owed: "immediate" })).status).toBe(200);
    const council = await login(server.url, ACCOUNTS.councilEditor);
    const page = await get(`${server.url}/plans/${PLAN_ID}?action=${actionId}`, council);
    const card = page.text.slice(page.text.indexOf(`id="action-${actionId}"`));
    const fingerprint = /data-fingerprint="([0-9a-f]{64})"/.exec(card)![1]!;
    const before = sink.to(ACCOUNTS.vcfAllianceEditor).length;
    const signed = await postForm(server.url, `/plans/${PLAN_ID}`, council, { intent: "sign-off", actionId, organisationId: "bury-council", fingerprint });
    expect(signed.status, signed.text.slice(0, 300)).toBe(200);
    await sink.waitFor(() => sink.to(ACCOUNTS.vcfAllianceEditor).length === before + 1, "the sign-off owed email");
    const mail = sink.to(ACCOUNTS.vcfAllianceEditor).at(-1)!;
    expect(mail.subject).toBe("Your organisation's sign-off is needed");
    expect(mail.text).toMatch(/Bury Council signed off the wording of “[^”]+”; Bury Voluntary, Community and Faith Alliance has not signed these words yet\./);
    expect(mail.text).toContain(`/plans/${PLAN_ID}?action=${actionId}`);
    // Nobody of the organisation that signed is asked.
    expect(sink.to(ACCOUNTS.councilEditor).some((m) => m.text.includes("signed off the wording"))).toBe(false);
    // And it is what the dashboard's "Waiting for you" asks of Joanne.
    expect((await get(`${server.url}/dashboard`, joanne)).text).toContain(`data-inbox-key="sign-off:action:${actionId}"`);
  });
});

describe("in one transaction with the event, and the daily summary", () => {
  let opened: FreshDatabase;
  let db: DB;
  let dbFile: string;
  let sink: SmtpSink;

  beforeAll(async () => {
    opened = await openFreshDatabase("digest");
    ({ db, dbFile } = opened);
    await seedDatabase(db);
    configureNotificationMail({ appOrigin: "https://codesign.bury.example", nudge: () => {} });
    sink = await SmtpSink.start();
  }, 90_000);
  afterAll(async () => {
    await opened?.close();
    await sink?.close();
  });

  const count = async () => Number((await db.selectFrom("mail_outbox").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow()).n);
  const userId = async (email: string) => (await db.selectFrom("users").select("id").where("email", "=", email).executeTakeFirstOrThrow()).id;

  it("rolling the event back leaves no outbox row and no notification; committing it leaves both", async () => {
    const helen = { userId: await userId(ACCOUNTS.facilitator), organisationId: "bury-council", systemRole: "facilitator" as const };
    const actionId = await actionWithout(dbFile, "six-town-housing");
    const mails = await count();
    await expect(
      inTransaction(db, async (trx) => {
        await nameOwnerIn(trx, helen, { actionId, organisationId: "six-town-housing", role: "support" });
        expect(Number((await trx.selectFrom("mail_outbox").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow()).n)).toBe(mails + 1);
        throw new Error("the event fails after the email was queued");
      }),
    ).rejects.toThrow("the event fails");
    expect(await count()).toBe(mails);
    expect(await db.selectFrom("action_owners").selectAll().where("action_id", "=", actionId).where("organisation_id", "=", "six-town-housing").execute()).toEqual([]);

    await inTransaction(db, (trx) => nameOwnerIn(trx, helen, { actionId, organisationId: "six-town-housing", role: "support" }));
    expect(await count()).toBe(mails + 1);
    const row = await db.selectFrom("mail_outbox").select(["to_address", "headers"]).orderBy("id", "desc").executeTakeFirstOrThrow();
    expect(row.to_address).toBe(ACCOUNTS.housingEditor);
    expect(JSON.parse(row.headers!)).toMatchObject({ "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" });
  });

  it("the digest holds exactly the new items, grouped by plan; it is not sent when nothing is new; SMTP receives it", async () => {
    const joanne = await userId(ACCOUNTS.vcfAllianceEditor);
    const tom = { userId: await userId(ACCOUNTS.vcfCommenter), organisationId: "radcliffe-community-food-network" };
    // Everything before today is old news for this test: a first digest takes it away.
    await runDigests(db, { hour: 7, appOrigin: "https://codesign.bury.example", force: true });
    const mails = await count();

    const notice = (planId: string, summary: string) =>
      inTransaction(db, (trx) => notifyPeople(trx, { kind: "reply", planId, summary, link: `/proposals/${planId}`, actor: tom }, [joanne]));
    await notice("community-engagement-strategy", "Tom replied about Radcliffe in June.");
    await notice("community-engagement-strategy", "Tom replied about rooms at Bury College.");
    await notice(NEXT_PLAN, "Tom replied on the 2026-27 plan.");
    // A kind Joanne gets at once is not repeated in her digest.
    await inTransaction(db, (trx) => notifyPeople(trx, { kind: "mention", planId: NEXT_PLAN, summary: "Tom mentioned your organisation.", link: `/plans/${NEXT_PLAN}`, actor: tom }, [joanne]));
    expect(await count()).toBe(mails + 1); // the mention, at once

    const run = await runDigests(db, { hour: 7, appOrigin: "https://codesign.bury.example", force: true });
    expect(run.sent).toBe(1);
    const ids = await db.selectFrom("notifications").select("id").where("user_id", "=", joanne).where("kind", "=", "reply").orderBy("id", "desc").limit(3).execute();
    expect(run.items.get(joanne)).toEqual(ids.map((r) => r.id).reverse());
    expect(await count()).toBe(mails + 2);

    const again = await runDigests(db, { hour: 7, appOrigin: "https://codesign.bury.example", force: true });
    expect(again.sent).toBe(0);
    expect(await count()).toBe(mails + 2);

    // Deliver the outbox to the real SMTP server.
    const sender = createMailSender({ db, transport: smtpTransport(sink.url), from: "Co-design Workspace <codesign@bury.example>", retryBaseMs: 100, retryMaxMs: 200, maxAttempts: 3, pollMs: 50, log: () => {} });
    await sender.start();
    await sink.waitFor(() => sink.to(ACCOUNTS.vcfAllianceEditor).some((m) => m.subject.startsWith("Your daily summary")), "the digest");
    await sender.close();
    const digest = sink.to(ACCOUNTS.vcfAllianceEditor).find((m) => m.subject.startsWith("Your daily summary"))!;
    expect(digest.subject).toBe("Your daily summary from the Co-design Workspace: 3 new items");
    expect(digest.html).toContain('<html lang="en-GB">');
    expect(digest.html).toMatch(/<h2[^>]*>Community Engagement Strategy \(draft proposal\)<\/h2>/);
    expect(digest.html).toMatch(/<h2[^>]*>Let&#39;s Do It! partnership action plan 2026-27<\/h2>/);
    expect(digest.text, digest.text).toContain("Tom replied about Radcliffe in June.");
    expect(digest.text).toContain("Tom replied on the 2026-27 plan.");
    expect(digest.text).not.toContain("Tom mentioned your organisation.");
    expect(header(digest.raw, "List-Unsubscribe")).toMatch(/^<https:\/\/codesign\.bury\.example\/unsubscribe\?token=\d+\.digest\.[^>]+>$/);
    expect(header(digest.raw, "List-Unsubscribe-Post")).toBe("List-Unsubscribe=One-Click");
  });
});
