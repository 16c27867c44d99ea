// `npm run bench:workshop` (or part of `npm run bench`): one workshop, 60 participants with the
// page's own event stream open (6 signed-in partners, 54 guests) plus the room screen (the
// projector page, loaded as HTML with its QR code, then its event stream), scripted over real
// HTTP. The facilitator changes the item, starts/pauses the timer, reveals votes and closes
// polls; for each change we time how long until ALL 61 streams have it. Prints figures; asserts nothing.
import { ACCOUNTS, login, PLAN_ID, reopenSeededPlan, startAppServer } from "../test/helpers/app-server";
import { createWorkshop, EventStream, guestCodeOf, intent, joinAsGuest, readState } from "../test/helpers/workshop-client";

const PARTICIPANTS = 60;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 30);
const WARMUP = 3;

const now = () => performance.timeOrigin + performance.now();

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

function summary(values: number[]) {
  const s = [...values].sort((a, b) => a - b);
  return { n: s.length, p50: percentile(s, 50), p95: percentile(s, 95), p99: percentile(s, 99), max: s[s.length - 1] ?? NaN };
}

const fmt = (ms: number) => `${ms.toFixed(1).padStart(7)} ms`;

const server = await startAppServer({ env: { LOG_LEVEL: "info" } });
await reopenSeededPlan(server.url);
const streams: EventStream[] = [];
try {
  const fac = await login(server.url, ACCOUNTS.facilitator);
  const workshopId = await createWorkshop(server.url, fac, { planId: PLAN_ID, title: "Benchmark: sixty in the room" });
  await intent(server.url, workshopId, fac, { intent: "start-session" });
  const code = await guestCodeOf(server.url, workshopId, fac);
  const accounts = [ACCOUNTS.nhsEditor, ACCOUNTS.collegeEditor, ACCOUNTS.housingEditor, ACCOUNTS.vcfAllianceEditor, ACCOUNTS.councilEditor, ACCOUNTS.vcfCommenter];
  const cookies: string[] = [];
  for (const email of accounts) cookies.push(await login(server.url, email));
  // Everyone at the venue shares one public address, as at a real community event.
  for (let i = cookies.length; i < PARTICIPANTS; i++) cookies.push((await joinAsGuest(server.url, code, `Guest ${i + 1}`, "203.0.113.10")).cookie!);

  for (const cookie of cookies) streams.push(new EventStream(server.url, workshopId, cookie));
  // The room screen: its page (with the QR code drawn on the server), then its own stream.
  const screenPage = await fetch(`${server.url}/workshops/${workshopId}/screen`, { headers: { Cookie: fac } });
  if (screenPage.status !== 200 || !(await screenPage.text()).includes('data-testid="screen-qr"')) throw new Error(`room screen: ${screenPage.status}`);
  const screen = new EventStream(server.url, workshopId, fac);
  streams.push(screen);
  const SCREEN = streams.length - 1;
  await Promise.all(streams.map((s) => s.waitFor((e) => e.event === "snapshot", 30_000)));

  const first = (await readState(server.url, workshopId, fac)).snapshot;
  const items = first.agenda.slice(0, 2).map((i) => i.id);
  for (const itemId of items) {
    for (const [n, cookie] of cookies.slice(0, 4).entries()) {
      await intent(server.url, workshopId, cookie, { intent: "add-idea", itemId, text: `Idea ${n + 1} on item ${itemId}` });
    }
  }

  /** Sends one facilitator change; resolves with each stream's delay until it has it. */
  async function measure(fields: Record<string, string | number>, arrived: (e: { event: string; data: any }) => boolean) {
    const seen = streams.map(() => NaN);
    const offs = streams.map((s, i) =>
      s.onEvent((e) => {
        if (Number.isNaN(seen[i]!) && arrived(e)) seen[i] = e.receivedAt;
      }),
    );
    const t0 = now();
    const res = await intent(server.url, workshopId, fac, fields);
    const responded = now() - t0;
    if (res.status !== 200) throw new Error(`${fields.intent}: ${res.status} ${res.message}`);
    const deadline = Date.now() + 15_000;
    while (seen.some(Number.isNaN)) {
      if (Date.now() > deadline) throw new Error(`${fields.intent}: ${seen.filter(Number.isNaN).length} streams never got it`);
      await new Promise((r) => setTimeout(r, 2));
    }
    for (const off of offs) off();
    const delays = seen.map((t) => t - t0);
    return { delays, all: Math.max(...delays), responded };
  }

  const results: Record<string, { all: number[]; each: number[]; responded: number[] }> = {
    "next item": { all: [], each: [], responded: [] },
    "timer start": { all: [], each: [], responded: [] },
    "vote reveal": { all: [], each: [], responded: [] },
    "poll close": { all: [], each: [], responded: [] },
  };
  const screenDelays: Record<string, number[]> = { "next item": [], "timer start": [], "vote reveal": [], "poll close": [] };
  const record = (kind: string, r: { delays: number[]; all: number; responded: number }, round: number) => {
    if (round < WARMUP) return;
    results[kind]!.all.push(r.all);
    results[kind]!.each.push(...r.delays);
    results[kind]!.responded.push(r.responded);
    screenDelays[kind]!.push(r.delays[SCREEN]!);
  };

  const burstAll: number[] = [];
  let current = first.control.currentItemId!;
  for (let round = 0; round < ROUNDS; round++) {
    const target = current === items[0] ? items[1]! : items[0]!;
    record("next item", await measure({ intent: "go-to-item", itemId: target }, (e) => e.event === "control" && e.data.data.currentItemId === target), round);
    current = target;

    record("timer start", await measure({ intent: "timer", timer: "start" }, (e) => e.event === "control" && e.data.data.timer.startedAt !== null), round);
    await intent(server.url, workshopId, fac, { intent: "timer", timer: "pause" });

    await intent(server.url, workshopId, fac, { intent: "open-vote", itemId: current, subject: "ideas", allowance: 1 });
    const vote = (await readState(server.url, workshopId, fac)).snapshot.votes.find((v) => v.status === "open")!;
    // The room votes (all sixty at once), then the facilitator reveals.
    // A burst: all sixty vote at the same moment. Timed until every page shows all sixty votes
    // cast (the facilitator reveals once the room has finished).
    const burst = now();
    await Promise.all(cookies.map((c, i) => intent(server.url, workshopId, c, { intent: "add-dot", voteId: vote.id, optionId: vote.options[i % vote.options.length]!.id })));
    const counted = await Promise.all(
      streams.map((s) => s.waitFor((e) => e.event === "votes" && e.data.data.some((v: { id: number; dotsCast: number }) => v.id === vote.id && v.dotsCast === PARTICIPANTS))),
    );
    if (round >= WARMUP) burstAll.push(Math.max(...counted.map((e) => e.receivedAt)) - burst);
    record(
      "vote reveal",
      await measure({ intent: "reveal-vote", voteId: vote.id }, (e) => e.event === "votes" && e.data.data.some((v: { id: number; revealed: boolean }) => v.id === vote.id && v.revealed)),
      round,
    );

    // A poll: all sixty answer, then the facilitator closes it and everyone sees the answers.
    await intent(server.url, workshopId, fac, { intent: "open-poll", itemId: current, kind: "choice", question: `Round ${round}?`, options: "Yes\nNo\nNot sure" });
    const poll = ((await readState(server.url, workshopId, fac)).snapshot as unknown as { polls: { id: number; status: string; options: { id: number }[] }[] }).polls.find((p) => p.status === "open")!;
    await Promise.all(cookies.map((c, i) => intent(server.url, workshopId, c, { intent: "answer-poll", pollId: poll.id, optionId: poll.options[i % 3]!.id })));
    record(
      "poll close",
      await measure({ intent: "close-poll", pollId: poll.id }, (e) => e.event === "polls" && e.data.data.some((p: { id: number; results: unknown }) => p.id === poll.id && p.results !== null)),
      round,
    );
  }

  console.log(`Workshop fan-out: ${PARTICIPANTS} participants (6 signed in, ${PARTICIPANTS - 6} guests), each with the page's event stream open, plus the room screen;`);
  console.log(`${ROUNDS - WARMUP} measured rounds per change (${WARMUP} warm-up rounds left out). Server: production build, one process, SQLite.`);
  console.log(`Times are from the facilitator sending the change to the stream receiving it, on this machine (${process.platform}, ${(await import("node:os")).cpus().length} cores).\n`);
  console.log("Change          | until ALL 61 have it: p50       p95       p99       max | each delivery p50 | facilitator's own reply p50 | all-61 p50 / reply p50");
  const overall: number[] = [];
  for (const [kind, r] of Object.entries(results)) {
    const all = summary(r.all);
    const each = summary(r.each);
    const reply = summary(r.responded);
    overall.push(...r.all);
    console.log(
      `${kind.padEnd(15)} | ${fmt(all.p50)} ${fmt(all.p95)} ${fmt(all.p99)} ${fmt(all.max)} | ${fmt(each.p50)}        | ${fmt(reply.p50)}                  | ${(all.p50 / reply.p50).toFixed(2)}`,
    );
  }
  const o = summary(overall);
  console.log(`${"all changes".padEnd(15)} | ${fmt(o.p50)} ${fmt(o.p95)} ${fmt(o.p99)} ${fmt(o.max)} | (n = ${o.n} changes, ${o.n * PARTICIPANTS} deliveries)`);
  console.log("\nThe room screen alone (its stream's delay):");
  for (const [kind, d] of Object.entries(screenDelays)) {
    const x = summary(d);
    console.log(`${kind.padEnd(15)} | p50 ${fmt(x.p50)}  p95 ${fmt(x.p95)}  p99 ${fmt(x.p99)}  max ${fmt(x.max)}`);
  }
  const reveal = summary(results["vote reveal"]!.all);
  console.log(`\nReveal until it reaches everyone (60 participants + room screen): p99 ${fmt(reveal.p99)} (target p99 <= 300 ms).`);
  const b = summary(burstAll);
  console.log(`\n60 votes sent at the same moment, until all 60 pages show 60 votes cast: p50 ${fmt(b.p50)}, p95 ${fmt(b.p95)}, max ${fmt(b.max)} (ballot updates are coalesced for 100 ms).`);
} finally {
  for (const s of streams) s.close();
  await server.stop();
}
