import { afterEach, describe, expect, it } from "vitest";
import { queueMail } from "../../db/queries/mail-outbox";
import { renderEmail } from "../../server/mail/templates";
import { openTestDatabase, startAppServer, tempDbFile, type AppServer } from "../helpers/app-server";
import { SmtpSink } from "../helpers/smtp-sink";

// The figure is 30 s; MAIL_DOWN_SECONDS=30 runs it. The default keeps the suite short,
// and the mail server is really down either way (its port refuses connections).
const DOWN_MS = Number(process.env.MAIL_DOWN_SECONDS ?? 6) * 1000;

const servers: AppServer[] = [];
const sinks: SmtpSink[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
  await Promise.all(sinks.splice(0).map((s) => s.close()));
});

function mailEnv(sink: { url: string }) {
  return {
    SMTP_URL: sink.url,
    MAIL_FROM: "Co-design Workspace <codesign@bury.example>",
    APP_ORIGIN: "https://codesign.bury.example",
    MAIL_RETRY_BASE_MS: "200",
    MAIL_RETRY_MAX_MS: "1000",
    MAIL_POLL_MS: "100",
  };
}

/** Writes messages the way the app does: into the outbox, in a transaction, from another connection. */
async function queue(dbFile: string, n: number, label: string, to = (i: number) => `person${i}@partner.example`) {
  const { db } = openTestDatabase(dbFile);
  try {
    await db.transaction().execute(async (trx) => {
      for (let i = 0; i < n; i++) {
        const content = renderEmail({ subject: `${label} ${i}`, heading: `${label} ${i}`, paragraphs: ["A message from the test."] });
        await queueMail(trx, { kind: "test", to: to(i), ...content });
      }
    });
  } finally {
    await db.destroy();
  }
}

async function outbox(dbFile: string) {
  const { db } = openTestDatabase(dbFile);
  try {
    return await db.selectFrom("mail_outbox").selectAll().orderBy("id").execute();
  } finally {
    await db.destroy();
  }
}

async function until(pred: () => Promise<boolean>, what: string, timeoutMs = 15_000) {
  const end = Date.now() + timeoutMs;
  while (!(await pred())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("mail outbox delivered through SMTP", () => {
  it("delivers a queued message with a plain-text and an HTML part, marks it sent, and marks a 550 refusal failed", async () => {
    const sink = await SmtpSink.start({ rejectRecipients: /^nobody@/ });
    sinks.push(sink);
    const dbFile = tempDbFile("mail");
    const app = await startAppServer({ dbFile, env: mailEnv(sink) });
    servers.push(app);

    await queue(dbFile, 1, "Hello");
    await queue(dbFile, 1, "Refused", () => "nobody@partner.example");
    await sink.waitFor((m) => m.length === 1, "the message");
    const [got] = sink.messages;
    expect(got!.to).toEqual(["person0@partner.example"]);
    expect(got!.subject).toBe("Hello 0");
    expect(got!.raw).toMatch(/content-type: multipart\/alternative/i);
    expect(got!.text).toContain("A message from the test.");
    expect(got!.html).toContain('<html lang="en-GB">');
    expect(got!.html).toContain("<h1");

    await until(async () => (await outbox(dbFile)).every((r) => r.state === "sent" || r.state === "failed"), "both rows marked");
    const rows = await outbox(dbFile);
    expect(rows.map((r) => r.state)).toEqual(["sent", "failed"]);
    expect(got!.messageId).toBe(`<${rows[0]!.message_key}@bury.example>`);
    expect(rows[1]!.last_error).toMatch(/550|No such mailbox/);
    expect(sink.messages).toHaveLength(1);
  });

  it("mail server down, then back: every message delivered exactly once, across a server restart too", async () => {
    const port = await SmtpSink.freePort();
    const sink = new SmtpSink(port); // not listening yet: connections to the port are refused
    sinks.push(sink);
    const dbFile = tempDbFile("mail-down");
    let app = await startAppServer({ dbFile, env: mailEnv(sink) });
    servers.push(app);

    await queue(dbFile, 10, "Before restart");
    const downSince = Date.now();
    // The sender is really trying, and failing, while the server is down.
    await until(async () => (await outbox(dbFile)).some((r) => r.attempts > 0), "a failed attempt");
    await new Promise((r) => setTimeout(r, DOWN_MS / 2));
    let rows = await outbox(dbFile);
    expect(rows.every((r) => r.state === "queued")).toBe(true);
    expect(rows.some((r) => (r.last_error ?? "").includes("ECONNREFUSED"))).toBe(true);
    expect(app.logs.some((l) => l.msg === "mail server unavailable; will retry")).toBe(true);

    // A restart while the mail server is still down; more mail is queued meanwhile.
    await app.stop();
    servers.splice(servers.indexOf(app), 1);
    await queue(dbFile, 5, "During restart");
    app = await startAppServer({ dbFile, env: mailEnv(sink) });
    servers.push(app);
    await new Promise((r) => setTimeout(r, Math.max(0, DOWN_MS - (Date.now() - downSince))));
    expect(sink.messages).toHaveLength(0);

    await sink.listen();
    await until(async () => (await outbox(dbFile)).every((r) => r.state === "sent"), "every row sent", 20_000);
    // Time for a duplicate to arrive, if any were going to.
    await new Promise((r) => setTimeout(r, 1500));
    rows = await outbox(dbFile);
    expect(sink.messages).toHaveLength(15);
    const ids = sink.messages.map((m) => m.messageId).sort();
    expect(new Set(ids).size).toBe(15);
    expect(ids).toEqual(rows.map((r) => `<${r.message_key}@bury.example>`).sort());
    expect(rows.every((r) => r.attempts >= 1)).toBe(true);
  }, 120_000);

  it("kill -9 before a queued email is sent, restarted with the mail server up: delivered exactly once", async () => {
    const port = await SmtpSink.freePort();
    const sink = new SmtpSink(port); // down: the port refuses connections
    sinks.push(sink);
    const dbFile = tempDbFile("mail-kill9");
    let app = await startAppServer({ dbFile, env: mailEnv(sink) });
    servers.push(app);
    await queue(dbFile, 1, "Queued before the crash");
    await until(async () => (await outbox(dbFile)).some((r) => r.attempts > 0), "a failed attempt");
    await app.kill9();
    servers.splice(servers.indexOf(app), 1);
    expect((await outbox(dbFile)).map((r) => r.state)).toEqual(["queued"]);

    await sink.listen();
    app = await startAppServer({ dbFile, env: mailEnv(sink) });
    servers.push(app);
    await until(async () => (await outbox(dbFile)).every((r) => r.state === "sent"), "the row sent");
    await new Promise((r) => setTimeout(r, 1500));
    expect(sink.messages.map((m) => m.subject)).toEqual(["Queued before the crash 0"]);
  }, 60_000);

  it("kill -9 while the mail server has not yet accepted a message (row left 'sending'): sent again after the restart, delivered exactly once", async () => {
    const sink = await SmtpSink.start();
    sinks.push(sink);
    sink.stallData = true; // the relay reads the message and never says 250
    const dbFile = tempDbFile("mail-kill9-sending");
    let app = await startAppServer({ dbFile, env: mailEnv(sink) });
    servers.push(app);
    await queue(dbFile, 1, "In flight at the crash");
    await until(async () => sink.stalled === 1, "the message in flight");
    expect((await outbox(dbFile)).map((r) => r.state)).toEqual(["sending"]);
    await app.kill9();
    servers.splice(servers.indexOf(app), 1);
    expect(sink.messages).toHaveLength(0);

    sink.stallData = false;
    app = await startAppServer({ dbFile, env: mailEnv(sink) });
    servers.push(app);
    await until(async () => (await outbox(dbFile)).every((r) => r.state === "sent"), "the row sent");
    await new Promise((r) => setTimeout(r, 1500));
    expect(sink.messages.map((m) => m.subject)).toEqual(["In flight at the crash 0"]);
    const [row] = await outbox(dbFile);
    expect(sink.messages[0]!.messageId).toBe(`<${row!.message_key}@bury.example>`);
    expect(app.logs.some((l) => l.msg === "emails the previous process was sending when it stopped are queued again")).toBe(true);
  }, 60_000);
});
