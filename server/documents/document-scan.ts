/**
 * At start-up, which stored documents the editor cannot read. A document made bad before the sync
 * server checked shapes (or written by something else) breaks only its own text; this list is
 * how an administrator learns of it without waiting for someone to open it. The scan runs in the
 * background after the server is listening, one document per event-loop turn (a read is a few
 * ms), and at most `maxDocuments`: start-up is never refused nor delayed by it.
 */
import type { DB } from "../../db/connection";
import { listDocumentsAfter } from "../../db/queries/documents";
import type { SyncServer } from "../sync";
import { readContent } from "./lexical-content";

export interface UnreadableDocument {
  documentId: string;
  planId: string;
  reason: string;
}

export interface DocumentScanLog {
  warn(fields: Record<string, unknown>, msg: string): void;
  info(fields: Record<string, unknown>, msg: string): void;
  error(fields: Record<string, unknown>, msg: string): void;
}

const PAGE = 200;

export class DocumentScan {
  state: "running" | "done" | "stopped" = "running";
  scanned = 0;
  private found = new Map<string, UnreadableDocument>();
  private stopping = false;

  constructor(
    private readonly db: DB,
    private readonly sync: Pick<SyncServer, "readDocument">,
    private readonly log: DocumentScanLog,
    private readonly maxDocuments = 50_000,
  ) {}

  /** Resolves when the scan has finished (it never rejects). */
  run(): Promise<void> {
    return this.walk().catch((error) => {
      this.state = "stopped";
      this.log.error({ error: String(error), scanned: this.scanned }, "could not scan stored documents");
    });
  }

  stop(): void {
    this.stopping = true;
  }

  /**
   * The documents found unreadable, each read again now (a restore may have repaired it since).
   * Only the listed ones are read, so this costs nothing when all is well.
   */
  async unreadable(): Promise<UnreadableDocument[]> {
    for (const entry of [...this.found.values()]) {
      const problem = await this.problemOf(entry.documentId);
      if (problem === null) this.found.delete(entry.documentId);
      else entry.reason = problem;
    }
    return [...this.found.values()];
  }

  private async walk(): Promise<void> {
    let after = "";
    while (!this.stopping && this.scanned < this.maxDocuments) {
      const page = await listDocumentsAfter(this.db, after, Math.min(PAGE, this.maxDocuments - this.scanned));
      if (page.length === 0) break;
      for (const d of page) {
        if (this.stopping) break;
        // One document per turn: requests in between are served without waiting for the scan.
        await new Promise((resolve) => setImmediate(resolve));
        const problem = await this.problemOf(d.id);
        this.scanned += 1;
        if (problem !== null) {
          this.found.set(d.id, { documentId: d.id, planId: d.plan_id, reason: problem });
          this.log.warn({ document: d.id, plan: d.plan_id, reason: problem }, "stored document does not load");
        }
      }
      after = page[page.length - 1].id;
    }
    this.state = this.stopping ? "stopped" : "done";
    this.log.info({ scanned: this.scanned, unreadable: this.found.size, complete: this.scanned < this.maxDocuments }, "stored documents scanned");
  }

  private async problemOf(documentId: string): Promise<string | null> {
    try {
      const content = await this.sync.readDocument(documentId, (doc) => readContent(doc));
      return content.readable ? null : content.reason;
    } catch (error) {
      return `the stored state does not load: ${String(error)}`;
    }
  }
}
