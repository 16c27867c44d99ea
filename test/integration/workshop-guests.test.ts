import { sqlRows } from "../helpers/test-db";
import { WebSocket } from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCOUNTS, type AppServer, login, PLAN_ID, reopenSeededPlan, startAppServer } from "../helpers/app-server";
import { createWorkshop, EventStream, guestCodeOf, intent, joinAsGuest, readState } from "../helpers/workshop-client";

const SEEDED_WORKSHOP = "wsh-lets-do-it-partners-session";
const DOC_ID = "doc-act-p-bgi-1-1";
// A phrase from the plan's overview: plan text a guest must not reach.
const PLAN_TEXT = "the art of the possible";

let server: AppServer;
let fac: string;
let workshopId: string;
let code: string;

function upgradeStatus(cookie: string): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${server.url.replace("http", "ws")}/sync/${DOC_ID}`, { headers: { origin: server.origin, cookie } });
    ws.on("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
    ws.on("open", () => {
      ws.close();
      resolve(101);
    });
    ws.on("error", () => undefined);
  });
}

async function guestSessionRows(): Promise<number> {
  return (await sqlRows<{ n: number }>(server.dbFile, "select count(*) n from workshop_guest_sessions where workshop_id = ?", workshopId))[0]!.n;
}

beforeAll(async () => {
  server = await startAppServer();
  await reopenSeededPlan(server.url);
  fac = await login(server.url, ACCOUNTS.facilitator);
  workshopId = await createWorkshop(server.url, fac, { planId: PLAN_ID, title: "Community event at Radcliffe market" });
  code = await guestCodeOf(server.url, workshopId, fac);
  expect((await intent(server.url, workshopId, fac, { intent: "start-session" })).status).toBe(200);
}, 90_000);

afterAll(async () => {
  await server?.stop();
});

describe("guests without an account", () => {
  it("join with the code and a name, and get a cookie only workshop routes receive", async () => {
    const res = await fetch(`${server.url}/join`, {
      method: "POST",
      headers: { Origin: server.origin },
      body: new URLSearchParams({ code: code.toLowerCase().replace("-", " "), displayName: "  Alex from Radcliffe  " }),
      redirect: "manual",
    });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`/workshops/${workshopId}`);
    const setCookie = res.headers.get("set-cookie") ?? "";
    expect(setCookie).toMatch(/^cdw_guest=/);
    expect(setCookie).toMatch(/Path=\/workshops/);
    expect(setCookie).toMatch(/HttpOnly/i);
    const guest = setCookie.split(";")[0]!;
    const state = await readState(server.url, workshopId, guest);
    expect(state.role).toBe("guest");
    expect(state.snapshot.participants.find((p) => p.id === state.participantId)).toMatchObject({ name: "Alex from Radcliffe", kind: "guest" });
    // Only the token's hash is stored.
    const hashes = await sqlRows<{ token_hash: string }>(server.dbFile, "select token_hash from workshop_guest_sessions");
    const token = decodeURIComponent(guest.split("=")[1]!).replace(/^"|"$/g, "");
    expect(hashes.some((h) => h.token_hash.length === 64)).toBe(true);
    expect(JSON.stringify(hashes)).not.toContain(token.slice(1, 30));
  });

  it("can add ideas and vote, but never run the workshop or reach the plan", async () => {
    const guest = (await joinAsGuest(server.url, code, "Jo"))!.cookie!;
    const itemId = (await readState(server.url, workshopId, guest)).snapshot.control.currentItemId!;
    expect((await intent(server.url, workshopId, guest, { intent: "add-idea", itemId, text: "Benches by the bus stop" })).status).toBe(200);
    const attempts: Record<string, string>[] = [{ intent: "lock-plan" }, { intent: "next-item" }, { intent: "close-workshop" }, { intent: "timer", timer: "start" }];
    for (const fields of attempts) {
      const res = await intent(server.url, workshopId, guest, fields);
      expect(res).toEqual({ status: 403, message: "Only a facilitator runs the workshop." });
    }
    // No plan page, no dashboard: the guest cookie is not a session.
    for (const path of [`/plans/${PLAN_ID}`, "/dashboard", `/plans/${PLAN_ID}/events`]) {
      const res = await fetch(`${server.url}${path}`, { headers: { Cookie: guest }, redirect: "manual" });
      expect(res.status).toBe(302);
      expect(res.headers.get("location")).toContain("/login");
    }
    // The record is for partners with accounts.
    for (const path of [`/workshops/${workshopId}/record.docx`, `/workshops/${workshopId}/record.csv`]) {
      expect((await fetch(`${server.url}${path}`, { headers: { Cookie: guest } })).status).toBe(403);
    }
    // No sync socket: document text is not reachable with a guest cookie.
    expect(await upgradeStatus(guest)).toBe(401);
    // What the workshop shows, not the plan's text.
    const page = await (await fetch(`${server.url}/workshops/${workshopId}`, { headers: { Cookie: guest } })).text();
    const state = JSON.stringify(await readState(server.url, workshopId, guest));
    expect(page).toContain("Benches by the bus stop");
    expect(page.toLowerCase()).not.toContain(PLAN_TEXT);
    expect(state.toLowerCase()).not.toContain(PLAN_TEXT);
    expect(page).not.toContain(`href="/plans/${PLAN_ID}"`);
  });

  it("opens no other workshop", async () => {
    const guest = (await joinAsGuest(server.url, code, "Sam"))!.cookie!;
    expect((await fetch(`${server.url}/workshops/${SEEDED_WORKSHOP}`, { headers: { Cookie: guest }, redirect: "manual" })).status).toBe(404);
    expect((await fetch(`${server.url}/workshops/${SEEDED_WORKSHOP}/state`, { headers: { Cookie: guest } })).status).toBe(404);
    const stream = new EventStream(server.url, SEEDED_WORKSHOP, guest);
    await stream.ready;
    expect(stream.status).toBe(404);
    const res = await intent(server.url, SEEDED_WORKSHOP, guest, { intent: "add-idea", itemId: 1, text: "Sneaky" });
    expect(res.status).toBe(404);
  });

  it("lose access when the facilitator closes the workshop: streams end, requests are refused, the code expires", async () => {
    const guest = (await joinAsGuest(server.url, code, "Morgan"))!.cookie!;
    const stream = new EventStream(server.url, workshopId, guest);
    await stream.waitFor((e) => e.event === "snapshot");
    const partner = await login(server.url, ACCOUNTS.nhsEditor);
    const partnerStream = new EventStream(server.url, workshopId, partner);
    await partnerStream.waitFor((e) => e.event === "snapshot");
    expect(await guestSessionRows()).toBeGreaterThan(0);

    expect((await intent(server.url, workshopId, fac, { intent: "close-workshop" })).status).toBe(200);
    // The guest's page is told the workshop closed, then its stream ends.
    await stream.waitFor((e) => e.event === "control" && e.data.data.status === "closed");
    await stream.waitForEnd();
    expect(await guestSessionRows()).toBe(0);
    // A partner's stream stays open (they can go on to the record).
    await partnerStream.waitFor((e) => e.event === "control" && e.data.data.status === "closed");
    expect(partnerStream.ended).toBe(false);
    partnerStream.close();

    const itemId = 1;
    const late = await intent(server.url, workshopId, guest, { intent: "add-idea", itemId, text: "Too late" });
    expect(late).toEqual({
      status: 403,
      message: "Your guest access has ended: the facilitator closed the workshop. Thank you for taking part.",
    });
    const page = await fetch(`${server.url}/workshops/${workshopId}`, { headers: { Cookie: guest }, redirect: "manual" });
    expect(page.status).toBe(302);
    expect(page.headers.get("location")).toContain("/join?");
    expect(page.headers.get("location")).toContain("ended=1");
    expect((await fetch(`${server.url}/workshops/${workshopId}/state`, { headers: { Cookie: guest } })).status).toBe(403);
    const reconnect = new EventStream(server.url, workshopId, guest);
    await reconnect.ready;
    expect(reconnect.status).toBe(403);
    expect(await upgradeStatus(guest)).toBe(401);

    const again = await joinAsGuest(server.url, code, "Morgan again");
    expect(again.status).toBe(403);
    expect(again.cookie).toBeNull();
    expect(again.message).toBe("This workshop code has expired: the facilitator has closed the workshop. Thank you for taking part.");
  });

  it("are told plainly when a code is wrong, and guessing is throttled per address", async () => {
    const wrong = await joinAsGuest(server.url, "ZZZZ-ZZZZ", "Guess", "203.0.113.50");
    expect(wrong.status).toBe(404);
    expect(wrong.message).toBe("No workshop has this code. Check the code on the screen, or ask the facilitator.");
    let last = wrong;
    for (let i = 0; i < 25 && last.status !== 429; i++) last = await joinAsGuest(server.url, "ZZZZ-ZZZZ", "Guess", "203.0.113.50");
    expect(last.status).toBe(429);
    expect(last.message).toContain("Too many wrong workshop codes from this network");
    // Another address (another venue) is not affected.
    expect((await joinAsGuest(server.url, "ZZZZ-ZZZZ", "Guess", "203.0.113.51")).status).toBe(404);
  });
});
