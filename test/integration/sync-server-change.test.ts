import { afterEach, describe, expect, it } from "vitest";
import { DOCS, SyncHarness, waitFor } from "../helpers/sync-harness";

let h: SyncHarness;
afterEach(async () => {
  await h?.close();
});

describe("edits the server makes on someone's behalf", () => {
  it("reach connected clients only after they are stored, credited to the author", async () => {
    h = await SyncHarness.start();
    const a = await h.provider("alice", DOCS.one);
    a.text.insert(0, "Draft.");
    await h.waitForStoredText(DOCS.one, "Draft.");

    let seenBeforeStored = false;
    a.doc.on("update", () => {
      // When the client hears of the change, the row must already exist.
      seenBeforeStored ||= h.sqlite
        .prepare("select count(*) n from document_updates where document_id = ? and user_id = ?")
        .pluck()
        .get(DOCS.one, h.users.carol.id) === 0;
    });
    await h.sync.applyServerChange(DOCS.one, { userId: h.users.carol.id, organisationId: h.users.carol.organisationId }, (doc) =>
      doc.getText("t").insert(0, "Suggested: "),
    );
    await waitFor(() => a.text.toString() === "Suggested: Draft.", "alice to see the server's change");
    expect(seenBeforeStored).toBe(false);
    const rows = await h.updateRows(DOCS.one);
    expect(rows.at(-1)).toMatchObject({ user_id: h.users.carol.id, organisation_id: h.users.carol.organisationId });
  });

  it("works on a document nobody has open, and leaves no room behind", async () => {
    h = await SyncHarness.start();
    await h.sync.applyServerChange(DOCS.two, null, (doc) => doc.getText("t").insert(0, "Restored text"));
    expect(await h.storedText(DOCS.two)).toBe("Restored text");
    await waitFor(() => h.sync.stats().rooms === 0, "the room to unload");
    expect(await h.sync.readDocument(DOCS.two, (doc) => doc.getText("t").toString())).toBe("Restored text");
    expect(h.sync.stats().rooms).toBe(0);
  });

  it("reads the live document when it is open", async () => {
    h = await SyncHarness.start();
    const a = await h.provider("alice", DOCS.three);
    a.text.insert(0, "Live words");
    await h.waitForStoredText(DOCS.three, "Live words");
    expect(h.sync.stats().rooms).toBe(1);
    expect(await h.sync.readDocument(DOCS.three, (doc) => doc.getText("t").toString())).toBe("Live words");
  });
});
