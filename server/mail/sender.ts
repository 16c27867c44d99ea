/**
 * Delivers the outbox: claim a row, hand it to SMTP, mark it sent (or back-off and retry, or
 * failed). One sending process per database, like the sync server. Decisions in README.md.
 */
import type { DB } from "../../db/connection";
import {
  claimMail,
  listDueMail,
  markMailAttemptFailed,
  markMailSent,
  nextDueAt,
  requeueAbandonedMail,
} from "../../db/queries/mail-outbox";
import { isPermanentMailError, type MailTransport } from "./transport";

export interface MailSenderOptions {
  db: DB;
  /** null: no SMTP configured; messages stay queued in the outbox for admins to read. */
  transport: MailTransport | null;
  from: string;
  retryBaseMs: number;
  retryMaxMs: number;
  maxAttempts: number;
  /** How often the outbox is looked at when nobody nudged (rows written by other processes). */
  pollMs: number;
  log: (level: "debug" | "info" | "warn" | "error", msg: string, fields?: Record<string, unknown>) => void;
}

export interface MailSender {
  /** Recovers rows a previous process left claimed, then starts delivering. */
  start(): Promise<void>;
  /** Something was queued: look at the outbox now rather than at the next poll. */
  nudge(): void;
  /** Stops after the message in flight (if any) is marked; waits at most `graceMs` for it. */
  close(graceMs?: number): Promise<void>;
  readonly delivering: boolean;
}

export function createMailSender(opts: MailSenderOptions): MailSender {
  const { db, transport, log } = opts;
  const domain = /@([^>\s]+)>?\s*$/.exec(opts.from)?.[1] ?? "codesign.local";
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let again = false;
  let closing = false;
  // Consecutive transient failures: the mail server (not one message) is the problem, so the
  // whole sender waits, probing with one message per interval, instead of trying every row.
  let failures = 0;
  let pausedUntil = 0;

  function schedule(ms: number) {
    if (closing || !transport) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      kick();
    }, Math.max(0, ms));
    timer.unref();
  }

  function kick() {
    if (closing || !transport) return;
    if (running) {
      again = true;
      return;
    }
    running = run()
      .catch((error) => log("error", "mail sender pass failed", { error: String(error) }))
      .finally(async () => {
        running = null;
        if (closing) return;
        if (again) {
          again = false;
          schedule(Math.max(0, pausedUntil - Date.now()));
          return;
        }
        const due = await nextDueAt(db).catch(() => null);
        const untilDue = due ? Date.parse(due) - Date.now() : opts.pollMs;
        schedule(Math.max(pausedUntil - Date.now(), Math.min(untilDue, opts.pollMs)));
      });
  }

  async function run() {
    while (!closing && Date.now() >= pausedUntil) {
      const due = await listDueMail(db, new Date().toISOString(), 20);
      if (due.length === 0) return;
      for (const m of due) {
        if (closing || Date.now() < pausedUntil) return;
        if (!(await claimMail(db, m.id, new Date().toISOString()))) continue;
        try {
          await transport!.send({
            from: opts.from,
            to: m.to_address,
            subject: m.subject,
            text: m.text_body,
            html: m.html_body,
            messageId: `<${m.message_key}@${domain}>`,
            headers: m.headers ? (JSON.parse(m.headers) as Record<string, string>) : undefined,
          });
        } catch (error) {
          await failed(m.id, m.attempts + 1, error);
          continue;
        }
        // Straight after the server's "250 accepted": the window in which a crash sends it twice.
        await markMailSent(db, m.id, new Date().toISOString());
        failures = 0;
        log("info", "mail sent", { outboxId: m.id });
      }
    }
  }

  async function failed(id: number, attempts: number, error: unknown) {
    const message = String((error as Error)?.message ?? error);
    if (isPermanentMailError(error) || attempts >= opts.maxAttempts) {
      await markMailAttemptFailed(db, id, message, null);
      log("error", "mail failed for good", { outboxId: id, attempts, error: message });
      return;
    }
    failures += 1;
    const delay = Math.min(opts.retryBaseMs * 2 ** (failures - 1), opts.retryMaxMs);
    pausedUntil = Date.now() + delay;
    await markMailAttemptFailed(db, id, message, new Date(pausedUntil).toISOString());
    log("warn", "mail server unavailable; will retry", { outboxId: id, attempts, retryInMs: delay, error: message });
  }

  return {
    get delivering() {
      return transport !== null;
    },
    async start() {
      if (!transport) {
        log("info", "SMTP_URL is not set: emails stay in the outbox (administrators read them on /admin/outbox)");
        return;
      }
      const requeued = await requeueAbandonedMail(db, new Date().toISOString());
      if (requeued) log("warn", "emails the previous process was sending when it stopped are queued again", { requeued });
      kick();
    },
    nudge() {
      if (!closing && transport && Date.now() >= pausedUntil) schedule(0);
    },
    async close(graceMs = 5_000) {
      closing = true;
      if (timer) clearTimeout(timer);
      if (running) await Promise.race([running, new Promise((r) => setTimeout(r, graceMs).unref())]);
      transport?.close();
    },
  };
}
