import { afterEach, describe, expect, it } from "vitest";
import { DocumentWatch } from "../../server/agreement-watch";
import { DOCS, SyncHarness, waitFor } from "../helpers/sync-harness";

let h: SyncHarness;
afterEach(async () => {
  await h?.close();
});

describe("onDocumentCommitted", () => {
  it("is told of each committed document once its update is on disk, client and server edits alike", async () => {
    const seen: { documentId: string; stored: number }[] = [];
    h = await SyncHarness.start({
      onDocumentCommitted: (documentId) => {
        const stored = h.sqlite
          .prepare("select count(*) n from document_updates where document_id = ?")
          .pluck()
          .get(documentId) as number;
        seen.push({ documentId, stored });
      },
    });
    const a = await h.provider("alice", DOCS.one);
    a.text.insert(0, "Agreed words.");
    await waitFor(() => seen.some((s) => s.documentId === DOCS.one && s.stored > 0), "the hook to see the stored update");
    await h.sync.applyServerChange(DOCS.two, null, (doc) => doc.getText("t").insert(0, "Server words"));
    expect(seen.some((s) => s.documentId === DOCS.two && s.stored > 0)).toBe(true);
  });

  it("keeps the sync server working when the listener throws", async () => {
    h = await SyncHarness.start({
      onDocumentCommitted: () => {
        throw new Error("listener broke");
      },
    });
    const a = await h.provider("alice", DOCS.one);
    a.text.insert(0, "Still saved.");
    await h.waitForStoredText(DOCS.one, "Still saved.");
    await waitFor(() => h.logs.some((l) => l.msg === "onDocumentCommitted listener failed"), "the failure to be logged");
  });
});

describe("DocumentWatch", () => {
  it("runs once after a burst of commits, and again for commits made while it runs", async () => {
    const runs: string[] = [];
    let release = () => {};
    const watch = new DocumentWatch({
      delayMs: 20,
      maxWaitMs: 200,
      run: async (id) => {
        runs.push(id);
        if (runs.length === 1) await new Promise<void>((r) => (release = r));
      },
      onError: () => {},
    });
    for (let i = 0; i < 5; i++) watch.touch("doc-a");
    await waitFor(() => runs.length === 1, "one run for the burst");
    watch.touch("doc-a");
    watch.touch("doc-a");
    release();
    await waitFor(() => runs.length === 2, "one more run for the commits made meanwhile");
    await new Promise((r) => setTimeout(r, 60));
    expect(runs).toEqual(["doc-a", "doc-a"]);
    await watch.close();
  });
});
