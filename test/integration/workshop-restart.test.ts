import { sqlRows } from "../helpers/test-db";
import { afterAll, describe, expect, it } from "vitest";
import { readParagraphs, replaceContent } from "../../server/documents/lexical-content";
import { ACCOUNTS, type AppServer, login, PLAN_ID, reopenSeededPlan, startAppServer } from "../helpers/app-server";
import { connectClient, eventually, waitForSync } from "../helpers/yjs-client";
import { createWorkshop, EventStream, guestCodeOf, intent, joinAsGuest, readState } from "../helpers/workshop-client";

const DOC_ID = "doc-act-p-bgi-1-1";

let server: AppServer | undefined;
afterAll(async () => {
  await server?.stop();
});

describe("a workshop survives a crash of the server mid-session", () => {
  it("keeps the current item, timer, plan lock, ideas and votes in SQLite, and goes on from them", async () => {
    server = await startAppServer();
    await reopenSeededPlan(server.url);
    const fac = await login(server.url, ACCOUNTS.facilitator);
    const nhs = await login(server.url, ACCOUNTS.nhsEditor);
    const id = await createWorkshop(server.url, fac, { planId: PLAN_ID, title: "Restart-proof session" });
    const guest = (await joinAsGuest(server.url, await guestCodeOf(server.url, id, fac), "Robin")).cookie!;

    expect((await intent(server.url, id, fac, { intent: "start-session" })).status).toBe(200);
    expect((await intent(server.url, id, fac, { intent: "next-item" })).status).toBe(200);
    expect((await intent(server.url, id, fac, { intent: "timer", timer: "start" })).status).toBe(200);
    expect((await intent(server.url, id, fac, { intent: "timer", timer: "add", minutes: 2 })).status).toBe(200);
    expect((await intent(server.url, id, fac, { intent: "lock-plan" })).status).toBe(200);
    const itemId = (await readState(server.url, id, fac)).snapshot.control.currentItemId!;
    for (const [cookie, text] of [[nhs, "Pop-up health checks at the market"], [guest, "Late opening on Fridays"], [guest, "Free stalls for groups"]] as const) {
      expect((await intent(server.url, id, cookie, { intent: "add-idea", itemId, text })).status).toBe(200);
    }
    expect((await intent(server.url, id, fac, { intent: "open-vote", itemId, subject: "ideas", allowance: 2 })).status).toBe(200);
    const vote = (await readState(server.url, id, nhs)).snapshot.votes[0]!;
    expect((await intent(server.url, id, nhs, { intent: "add-dot", voteId: vote.id, optionId: vote.options[0]!.id })).status).toBe(200);
    expect((await intent(server.url, id, guest, { intent: "add-dot", voteId: vote.id, optionId: vote.options[2]!.id })).status).toBe(200);
    expect((await intent(server.url, id, guest, { intent: "add-dot", voteId: vote.id, optionId: vote.options[2]!.id })).status).toBe(200);

    const before = await readState(server.url, id, nhs);
    const guestBefore = await readState(server.url, id, guest);
    expect(before.snapshot.control).toMatchObject({ status: "live", currentItemId: itemId, planLocked: true });
    expect(before.snapshot.control.timer.startedAt).not.toBeNull();

    // A crash: no shutdown, nothing flushed by us. Whatever the server answered 200 to is on disk.
    await server.kill9();
    // As if the crash came in the middle of turning an idea into an action.
    const ideaId = before.snapshot.boards.find((b) => b.itemId === itemId)!.ideas[0]!.id;
    await sqlRows(server.dbFile, "update workshop_ideas set capture_status = 'capturing' where id = ?", ideaId);
    server = await startAppServer({ dbFile: server.dbFile });

    // Sessions (accounts and guests) are in the database too: the same cookies work.
    const after = await readState(server.url, id, nhs);
    expect(after.snapshot.control).toEqual(before.snapshot.control);
    expect(after.snapshot.boards).toEqual(before.snapshot.boards);
    expect(after.snapshot.votes).toEqual(before.snapshot.votes);
    expect(after.snapshot.votes[0]).toMatchObject({ status: "open", revealed: false, dotsCast: 3, voters: 2, results: null });
    expect(after.snapshot.mine).toEqual(before.snapshot.mine);
    expect((await readState(server.url, id, guest)).snapshot.mine).toEqual(guestBefore.snapshot.mine);
    // The timer kept running in server time: every screen computes the same remaining time.
    expect(after.snapshot.control.timer.startedAt).toBe(before.snapshot.control.timer.startedAt);

    // A page reconnecting gets the same state from the new process.
    const stream = new EventStream(server.url, id, guest);
    const snap = await stream.waitFor((e) => e.event === "snapshot");
    expect(snap.data.data.control).toEqual(before.snapshot.control);
    stream.close();

    // The vote goes on with the same allowance: the guest has used both votes already.
    const over = await intent(server.url, id, guest, { intent: "add-dot", voteId: vote.id, optionId: vote.options[0]!.id });
    expect(over.status).toBe(409);
    expect(over.message).toContain("You have used all 2 of your votes");
    expect((await intent(server.url, id, nhs, { intent: "add-dot", voteId: vote.id, optionId: vote.options[1]!.id })).status).toBe(200);

    // The half-made capture was released at start-up: the idea can become an action.
    const captured = await intent(server.url, id, fac, {
      intent: "capture-idea",
      ideaId,
      title: "Pop-up health checks at the market",
      priorityId: before.snapshot.agenda.find((i) => i.id === itemId)!.priorityId!,
      leadOrganisationId: "nhs-bury-ccg",
    });
    expect(captured.status).toBe(200);

    // The lock still holds: a partner editor's sync socket is read-only, and its edits are dropped.
    const editor = connectClient(server.url, DOC_ID, await login(server.url, ACCOUNTS.councilEditor));
    await waitForSync(editor);
    const text = `Typed during the locked session ${Date.now()}`;
    replaceContent(editor.doc, [text]);
    await eventually(
      () => server!.logs.some((l) => l.msg === "dropped a document change from a read-only connection"),
      (seen) => seen,
    );
    const facilitatorClient = connectClient(server.url, DOC_ID, fac);
    await waitForSync(facilitatorClient);
    expect(readParagraphs(facilitatorClient.doc)).not.toContain(text);
    editor.destroy();
    facilitatorClient.destroy();
  }, 120_000);
});
