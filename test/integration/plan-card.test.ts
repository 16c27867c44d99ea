/**
 * The card an open plan page fetches after a live event (GET /plans/:id/cards/:action). Its reads
 * are shared by the requests made within a moment of each other (app/utils/plan-card.server.ts);
 * a request that follows an event must still see the change the event announced.
 */
import { expect, it } from "vitest";
import { ACCOUNTS, login, PLAN_ID, postForm } from "../helpers/app-server";
import { seededAppServer } from "../helpers/seeded-app";

const ACTION_ID = "act-p-bgi-1-3";
const app = seededAppServer();

async function card(cookie: string): Promise<{ action: { owners: { organisation_id: string; status: string }[] } }> {
  const res = await fetch(`${app.server.url}/plans/${PLAN_ID}/cards/${ACTION_ID}`, { headers: { Cookie: cookie, Accept: "application/json" } });
  expect(res.status).toBe(200);
  return res.json();
}

/** As an open page does: the card is asked for the moment the event arrives. */
async function cardAfterEvent(cookie: string, kind: string, change: () => Promise<number>) {
  const controller = new AbortController();
  const stream = await fetch(`${app.server.url}/plans/${PLAN_ID}/events`, { headers: { Cookie: cookie, Accept: "text/event-stream" }, signal: controller.signal });
  const heard = (async () => {
    const decoder = new TextDecoder();
    let text = "";
    for await (const chunk of stream.body as unknown as AsyncIterable<Uint8Array>) {
      text += decoder.decode(chunk, { stream: true });
      if (text.includes(`"kind":"${kind}"`)) return card(cookie);
    }
    throw new Error(`the event stream ended without a ${kind} event`);
  })();
  // Reads made just before the change, at hand for the card request that follows the event.
  await card(cookie);
  const status = await change();
  const after = await heard;
  controller.abort();
  expect(status).toBe(200);
  return after;
}

it("answers the first request after a change with the change, however soon after an earlier request", async () => {
  const council = await login(app.server.url, ACCOUNTS.councilEditor);
  const nhs = await login(app.server.url, ACCOUNTS.nhsEditor);
  const housing = () => card(nhs).then((c) => c.action.owners.find((o) => o.organisation_id === "six-town-housing")?.status ?? "none");
  expect(await housing()).toBe("none");
  const post = (intent: string, extra: Record<string, string> = {}) => () =>
    postForm(app.server.url, `/plans/${PLAN_ID}`, council, { intent, actionId: ACTION_ID, organisationId: "six-town-housing", ...extra }).then((r) => r.status);
  // A few times over: each time the reads before the change are fresh enough to be shared.
  for (let round = 0; round < 4; round++) {
    const named = await cardAfterEvent(nhs, "ownership", post("name-owner", { role: "support" }));
    expect(named.action.owners.find((o) => o.organisation_id === "six-town-housing")?.status).toBe("pending");
    const removed = await cardAfterEvent(nhs, "ownership", post("remove-owner"));
    expect(removed.action.owners.map((o) => o.organisation_id)).not.toContain("six-town-housing");
  }
});

it("refuses an action that is not in the plan with a 404 and a sentence", async () => {
  const nhs = await login(app.server.url, ACCOUNTS.nhsEditor);
  const res = await fetch(`${app.server.url}/plans/${PLAN_ID}/cards/no-such-action`, { headers: { Cookie: nhs, Accept: "application/json" } });
  expect(res.status).toBe(404);
  expect(await res.text()).toContain("That action is no longer in this plan.");
});
