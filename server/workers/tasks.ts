/**
 * The tasks worker threads run (./pool.ts). Each takes plain data (structured-clonable) and gives
 * plain data back; the builders and parsers they call are the same ones the event loop used to
 * call, with the same inputs and outputs. Tasks that read the database use this thread's own
 * connection, opened on first use.
 */
import type { DB } from "../../db/connection";
import { actionDocumentsOfPlan } from "../../db/queries/actions";
import { signOffTrailForPlan } from "../../db/queries/agreement";
import { loadStoredDocument } from "../../db/queries/documents";
import { exportActionsCsv } from "../accountability/csv";
import { writeImportedActions, type WrittenImport } from "../domain/import-actions";
import { loadPlanDelivery } from "../accountability/delivery";
import { buildBoardReport, type ReportMeta } from "../accountability/report-docx";
import { buildBoardReportOdt } from "../accountability/report-odt";
import { readContent, UNREADABLE_NOTICE, type DocumentContent } from "../documents/lexical-content";
import { withStoredDoc } from "../documents/stored-state";

const tasks = {
  /** Checks every row of an import file and, when all are good, writes them on this thread's connection. */
  importActions(input: Parameters<typeof writeImportedActions>[1], db: DB): Promise<WrittenImport> {
    return writeImportedActions(db, input);
  },

  /** The Cabinet / board report of a plan as at a date, as Word (the default) or ODF. */
  async boardReport(
    input: { planId: string; asAt: string; format?: "docx" | "odt"; meta: Omit<ReportMeta, "signOffTrail"> },
    db: DB,
  ): Promise<Uint8Array> {
    const [delivery, signOffTrail] = await Promise.all([loadPlanDelivery(db, input.planId, input.asAt), signOffTrailForPlan(db, input.planId)]);
    const meta = { ...input.meta, signOffTrail };
    return input.format === "odt" ? buildBoardReportOdt(delivery, meta) : buildBoardReport(delivery, meta);
  },

  /**
   * The actions CSV of a plan as at a date. Descriptions are read from the database: the caller
   * waits for the sync server to flush first, and what is flushed is what clients have been sent.
   */
  async actionsCsv(input: { planId: string; asAt: string }, db: DB): Promise<string> {
    const delivery = await loadPlanDelivery(db, input.planId, input.asAt);
    const docs = await actionDocumentsOfPlan(db, input.planId);
    const descriptions = new Map<string, string>();
    for (const d of docs) {
      const stored = await loadStoredDocument(db, d.document_id);
      // A text the editor cannot read breaks only its own cell (issue 10).
      let content: DocumentContent;
      try {
        content = withStoredDoc(stored, (doc) => readContent(doc));
      } catch (error) {
        content = { readable: false, reason: String(error) };
      }
      descriptions.set(d.id, content.readable ? content.lines.join("\n\n") : UNREADABLE_NOTICE);
    }
    return exportActionsCsv(delivery.priorities, descriptions);
  },
};

type Tasks = typeof tasks;
export type TaskName = keyof Tasks;
export type TaskInput<K extends TaskName> = Parameters<Tasks[K]>[0];
export type TaskOutput<K extends TaskName> = Awaited<ReturnType<Tasks[K]>>;

export async function runTask<K extends TaskName>(task: K, input: TaskInput<K>, db: DB): Promise<TaskOutput<K>> {
  const run = tasks[task] as (input: TaskInput<K>, db: DB) => TaskOutput<K> | Promise<TaskOutput<K>>;
  if (typeof run !== "function") throw new Error(`No worker task named ${String(task)}.`);
  return run(input, db);
}
