/**
 * The daily summary email: for each person, every notification new since their last summary
 * (unread, of kinds they chose "daily summary" for), grouped by plan, with links. When nothing
 * is new, nothing is sent; the mark still moves on so an item is never summarised twice. The
 * email and the mark are written in one transaction, so a crash sends neither or both (the
 * outbox then delivers it, as every email).
 */
import type { DB } from "../../db/connection";
import { inTransaction } from "../../db/connection";
import { queueMail } from "../../db/queries/mail-outbox";
import { digestCandidates, markDigested, notificationsAfter, recipientOf } from "../../db/queries/notifications";
import { digestEmail } from "../mail/templates";
import { legacyHref } from "./links";
import { deliveriesOf } from "./preferences";
import { unsubscribeHeaders, unsubscribeToken } from "./unsubscribe";

export interface DigestRun {
  sent: number;
  /** userId -> notification ids in the email */
  items: Map<number, number[]>;
}

/** The most recent moment a digest was due: today at `hour` (Europe/London), or yesterday's. */
export function lastDigestMoment(now: Date, hour: number): Date {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/London", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" })
      .formatToParts(now)
      .map((p) => [p.type, p.value]),
  );
  const londonAsUtc = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute));
  const offsetMs = londonAsUtc - Math.floor(now.getTime() / 60_000) * 60_000;
  let moment = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), hour) - offsetMs;
  if (moment > now.getTime()) moment -= 24 * 3_600_000;
  return new Date(moment);
}

/**
 * Sends every digest that is due at `now`: a person's is due when none was sent since the last
 * digest moment (`hour` o'clock, London time). `force` sends regardless of the hour (tests, and
 * an operator running it by hand).
 */
export async function runDigests(db: DB, opts: { now?: Date; hour: number; appOrigin: string; force?: boolean }): Promise<DigestRun> {
  const now = opts.now ?? new Date();
  const at = now.toISOString();
  const moment = lastDigestMoment(now, opts.hour).toISOString();
  const run: DigestRun = { sent: 0, items: new Map() };
  for (const c of await digestCandidates(db)) {
    if (!opts.force && c.last_sent_at && c.last_sent_at >= moment) continue;
    await inTransaction(db, async (trx) => {
      const all = await notificationsAfter(trx, c.user_id, c.last_notification_id ?? 0);
      if (all.length === 0) return;
      const lastId = all.at(-1)!.id;
      const deliveries = await deliveriesOf(trx, c.user_id);
      const wanted = all.filter((n) => n.read_at === null && deliveries[n.kind] === "digest");
      const person = await recipientOf(trx, c.user_id);
      if (wanted.length === 0 || !person || person.deactivated_at) {
        await markDigested(trx, c.user_id, lastId, null, at);
        return;
      }
      const byPlan = new Map<string, { title: string; items: { text: string; url: string }[] }>();
      for (const n of wanted) {
        const group = byPlan.get(n.plan_id) ?? { title: n.plan_title, items: [] };
        group.items.push({ text: n.summary, url: `${opts.appOrigin}${n.link ?? legacyHref(n)}` });
        byPlan.set(n.plan_id, group);
      }
      const unsubscribeUrl = `${opts.appOrigin}/unsubscribe?token=${await unsubscribeToken(trx, c.user_id, "digest")}`;
      await queueMail(
        trx,
        {
          kind: "notification:digest",
          to: person.email,
          toUserId: person.id,
          ...digestEmail({
            name: person.name,
            plans: [...byPlan.values()],
            dashboardUrl: `${opts.appOrigin}/dashboard`,
            footer: { accountUrl: `${opts.appOrigin}/account`, unsubscribeUrl, stopWhat: "these daily summaries" },
          }),
          headers: unsubscribeHeaders(unsubscribeUrl),
        },
        now,
      );
      await markDigested(trx, c.user_id, lastId, at, at);
      run.sent += 1;
      run.items.set(c.user_id, wanted.map((n) => n.id));
    });
  }
  return run;
}

/** Looks every `checkMs` whether digests are due; sends them, then nudges the mail sender. */
export function startDigestJob(
  db: DB,
  opts: { hour: number; appOrigin: string; checkMs: number; nudge: () => void; log: (level: "info" | "error", msg: string, fields?: Record<string, unknown>) => void },
): { stop(): void } {
  let busy = false;
  const tick = async () => {
    if (busy) return;
    busy = true;
    try {
      const run = await runDigests(db, { hour: opts.hour, appOrigin: opts.appOrigin });
      if (run.sent) {
        opts.log("info", "daily summaries queued", { sent: run.sent });
        opts.nudge();
      }
    } catch (error) {
      opts.log("error", "daily summaries failed", { error: String(error) });
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void tick(), opts.checkMs);
  timer.unref();
  void tick();
  return { stop: () => clearInterval(timer) };
}
