/**
 * Actions as CSV: export for spreadsheets, and import that checks every row first and imports
 * nothing until the whole file is clean. Import adds actions; it never overwrites co-drafted text
 * or ownership (an action already in the plan is a bad row, not an update).
 *
 * Multi-value cells: partners, KPIs and recommendations are separated by ";"; milestones are one
 * per line, "YYYY-MM-DD Title", with " [done YYYY-MM-DD]" when complete; a description's
 * paragraphs are separated by a blank line.
 */
import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import { isIsoDate } from "./dates";
import type { DeliveryAction, DeliveryPriority } from "./delivery";
import { RAG_LABEL, STATUS_LABEL } from "./rag";

export const CSV_COLUMNS = [
  "Action ID",
  "Priority code",
  "Priority",
  "Action",
  "Description",
  "Lead partner",
  "Supporting partners",
  "Due",
  "Milestones",
  "KPIs",
  "Recommendations",
  "RAG status",
  "RAG reasons",
  "Latest update date",
  "Latest update status",
  "Latest update",
] as const;

/** Columns import reads; the rest (RAG, latest update, priority name) are for readers and ignored. */
const IMPORTED = ["Action ID", "Priority code", "Action", "Description", "Lead partner", "Supporting partners", "Due", "Milestones", "KPIs", "Recommendations"] as const;
const REQUIRED = ["Priority code", "Action"] as const;

export function milestoneLine(m: { dueDate: string; title: string; completedOn: string | null }): string {
  return `${m.dueDate} ${m.title}${m.completedOn ? ` [done ${m.completedOn}]` : ""}`;
}

/**
 * A spreadsheet runs a cell that starts with = + - @ as a formula (CSV injection): such cells are
 * exported with a leading apostrophe, which spreadsheets show as text, and import removes it again.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
export function protectCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}
export function unprotectCell(value: string): string {
  return value.startsWith("'") && FORMULA_START.test(value.slice(1)) ? value.slice(1) : value;
}

export function exportActionsCsv(
  priorities: readonly DeliveryPriority[],
  descriptions: ReadonlyMap<string, string>,
): string {
  const rows: string[][] = [];
  for (const p of priorities) {
    for (const a of p.actions) rows.push(exportRow(p, a, descriptions.get(a.id) ?? "").map(protectCell));
  }
  // A byte-order mark so Excel opens UTF-8 (curly quotes, en dashes) correctly.
  return "\uFEFF" + stringify(rows, { header: true, columns: [...CSV_COLUMNS], eof: true });
}

function exportRow(p: DeliveryPriority, a: DeliveryAction, description: string): string[] {
  return [
    a.id,
    p.code,
    p.title,
    a.title,
    description,
    a.lead?.name ?? "",
    a.supporting.map((s) => s.name).join("; "),
    a.dueLabel,
    a.milestones.map(milestoneLine).join("\n"),
    a.kpis.map((k) => k.code).join("; "),
    a.recommendations.map((r) => r.code).join("; "),
    RAG_LABEL[a.rag.status],
    a.rag.reasons.map((r) => r.text).join(" "),
    a.latest?.reportedOn ?? "",
    a.latest ? STATUS_LABEL[a.latest.status] : "",
    a.latest?.narrative ?? "",
  ];
}

// ---------------------------------------------------------------------------------------------
// Import
// ---------------------------------------------------------------------------------------------

export interface ImportLookups {
  /** Priority code (case-insensitive) -> priority id, for the plan's priorities only. */
  priorities: ReadonlyMap<string, { id: string; code: string }>;
  organisations: readonly { id: string; name: string; short_name: string }[];
  kpis: readonly { id: string; code: string }[];
  recommendations: readonly { id: string; code: string }[];
  /** Actions already in the plan: ids, and "priority id|lower-case title|lower-case due label". */
  existingIds: ReadonlySet<string>;
  existingTitles: ReadonlySet<string>;
  /** The importer's organisation, and whether they are a facilitator (for "[done ...]" marks). */
  actorOrganisationId: string;
  actorIsFacilitator: boolean;
}

export interface ImportedAction {
  line: number;
  priorityId: string;
  title: string;
  paragraphs: string[];
  leadOrganisationId: string | null;
  supportingOrganisationIds: string[];
  dueLabel: string;
  milestones: { title: string; dueDate: string; completedOn: string | null }[];
  kpiIds: string[];
  recommendationIds: string[];
}

export interface ImportProblem {
  /** Line of the file where the row starts (1 is the header); 0 for the file as a whole. */
  line: number;
  action: string;
  reasons: string[];
}

export type ImportResult = { ok: true; actions: ImportedAction[] } | { ok: false; problems: ImportProblem[] };

const MAX_ROWS = 2000;

export function actionKey(priorityId: string, title: string, dueLabel: string): string {
  return `${priorityId}|${title.trim().toLowerCase()}|${dueLabel.trim().toLowerCase()}`;
}

const splitList = (cell: string) =>
  cell
    .split(/[;\n]/)
    .map((s) => s.trim())
    .filter(Boolean);

export function parseActionsCsv(text: string, lookups: ImportLookups): ImportResult {
  let records: { record: Record<string, string>; raw: string; info: { lines: number } }[];
  try {
    records = parse(text, {
      columns: (header: string[]) => header.map((h) => h.trim()),
      bom: true,
      info: true,
      raw: true,
      skip_empty_lines: true,
      relax_column_count: true,
      trim: false,
    });
  } catch (err) {
    const line = (err as { lines?: number }).lines ?? 0;
    return {
      ok: false,
      problems: [{ line, action: "", reasons: [`The file is not valid CSV: ${(err as Error).message}. Save it from your spreadsheet as “CSV UTF-8” and try again.`] }],
    };
  }
  if (records.length === 0) {
    return { ok: false, problems: [{ line: 0, action: "", reasons: ["The file has no rows under its header. Add at least one action."] }] };
  }
  const headers = Object.keys(records[0].record);
  const find = (name: string) => headers.find((h) => h.toLowerCase() === name.toLowerCase());
  const missing = REQUIRED.filter((r) => !find(r));
  if (missing.length) {
    return {
      ok: false,
      problems: [
        {
          line: 1,
          action: "",
          reasons: [`The header row needs the column${missing.length > 1 ? "s" : ""} ${missing.map((m) => `“${m}”`).join(" and ")}. Start from an exported file to get every column.`],
        },
      ],
    };
  }
  if (records.length > MAX_ROWS) {
    return { ok: false, problems: [{ line: 0, action: "", reasons: [`The file has ${records.length} rows; import at most ${MAX_ROWS} at a time.`] }] };
  }
  const col = Object.fromEntries(IMPORTED.map((c) => [c, find(c)])) as Record<(typeof IMPORTED)[number], string | undefined>;
  const cell = (r: Record<string, string>, c: (typeof IMPORTED)[number]) => (col[c] ? unprotectCell((r[col[c]!] ?? "").trim()) : "");

  const orgByName = new Map<string, string>();
  for (const o of lookups.organisations) {
    orgByName.set(o.name.toLowerCase(), o.id);
    if (!orgByName.has(o.short_name.toLowerCase())) orgByName.set(o.short_name.toLowerCase(), o.id);
  }
  const kpiByCode = new Map(lookups.kpis.flatMap((k) => [[k.code.toLowerCase(), k.id], [k.id.toLowerCase(), k.id]]));
  const recByCode = new Map(lookups.recommendations.flatMap((r) => [[r.code.toLowerCase(), r.id], [r.id.toLowerCase(), r.id]]));

  const problems: ImportProblem[] = [];
  const actions: ImportedAction[] = [];
  const seenInFile = new Map<string, number>();
  for (const rec of records) {
    const r = rec.record;
    const inner = rec.raw.replace(/^(\r?\n)+/, "").replace(/\r?\n$/, "");
    const line = rec.info.lines - (inner.match(/\n/g)?.length ?? 0);
    const reasons: string[] = [];
    const title = cell(r, "Action").replace(/\s+/g, " ");
    if (!title) reasons.push("The action has no title (column “Action”).");
    else if (title.length < 3) reasons.push("The action title is shorter than 3 characters.");
    else if (title.length > 160) reasons.push(`The action title is ${title.length} characters; keep it under 160.`);

    const code = cell(r, "Priority code");
    const priority = lookups.priorities.get(code.toLowerCase());
    if (!code) reasons.push("No priority code (column “Priority code”).");
    else if (!priority) reasons.push(`Priority “${code}” is not one of this plan's priorities.`);

    const org = (name: string, column: string): string | null => {
      const id = orgByName.get(name.toLowerCase());
      if (!id) reasons.push(`Unknown organisation “${name}” in “${column}”. Use the partner's name as the workspace lists it, for example “Bury Council”.`);
      return id ?? null;
    };
    const leadName = cell(r, "Lead partner");
    const leadOrganisationId = leadName ? org(leadName, "Lead partner") : null;
    const supportingOrganisationIds: string[] = [];
    for (const name of splitList(cell(r, "Supporting partners"))) {
      const id = org(name, "Supporting partners");
      if (!id) continue;
      if (id === leadOrganisationId) reasons.push(`“${name}” is named both as lead and as supporting partner.`);
      else if (!supportingOrganisationIds.includes(id)) supportingOrganisationIds.push(id);
    }

    const dueLabel = cell(r, "Due");
    if (dueLabel.length > 40) reasons.push("“Due” is longer than 40 characters; put detail in the milestones.");

    const owns = lookups.actorIsFacilitator || leadOrganisationId === lookups.actorOrganisationId || supportingOrganisationIds.includes(lookups.actorOrganisationId);
    const milestones: ImportedAction["milestones"] = [];
    for (const raw of cell(r, "Milestones").split(/\r?\n/).map((l) => l.trim()).filter(Boolean)) {
      const m = /^(\S+)\s+(.+?)(?:\s*\[done\s+(\S+)\])?$/i.exec(raw);
      if (!m || !/^\d{4}-\d{1,2}-\d{1,2}$/.test(m[1])) {
        reasons.push(`Milestone “${raw}”: start each milestone line with its due date as YYYY-MM-DD, then its title.`);
        continue;
      }
      const [, dueDate, mTitle, doneOn] = m;
      if (!isIsoDate(dueDate)) {
        reasons.push(`Milestone “${raw}”: ${dueDate} is not a real date (use YYYY-MM-DD, e.g. 2022-09-30).`);
        continue;
      }
      if (doneOn !== undefined && !isIsoDate(doneOn)) {
        reasons.push(`Milestone “${raw}”: the done date ${doneOn} is not a real date (use YYYY-MM-DD).`);
        continue;
      }
      if (mTitle.length < 3 || mTitle.length > 160) {
        reasons.push(`Milestone “${raw}”: give it a title of 3 to 160 characters after the date.`);
        continue;
      }
      if (doneOn && !owns) {
        reasons.push(`Milestone “${raw}” is marked done: only the owning partner or a facilitator can say a milestone is done.`);
        continue;
      }
      milestones.push({ title: mTitle, dueDate, completedOn: doneOn ?? null });
    }

    const kpiIds: string[] = [];
    for (const k of splitList(cell(r, "KPIs"))) {
      const id = kpiByCode.get(k.toLowerCase());
      if (!id) reasons.push(`Unknown KPI “${k}”: use a KPI code such as OPS-K9.`);
      else if (!kpiIds.includes(id)) kpiIds.push(id);
    }
    const recommendationIds: string[] = [];
    for (const c of splitList(cell(r, "Recommendations"))) {
      const id = recByCode.get(c.toLowerCase());
      if (!id) reasons.push(`Unknown recommendation “${c}”: use a recommendation code such as 2.6.`);
      else if (!recommendationIds.includes(id)) recommendationIds.push(id);
    }

    const id = cell(r, "Action ID");
    if (priority && title) {
      // The same title may recur under a priority for different quarters ("10 assets sold", Q3 and Q4).
      const key = actionKey(priority.id, title, dueLabel);
      if ((id && lookups.existingIds.has(id)) || lookups.existingTitles.has(key)) {
        reasons.push("This action is already in the plan. Import only adds new actions: remove the row, or change it on the action's page.");
      } else if (seenInFile.has(key)) {
        reasons.push(`The same action (same priority, title and due) is already on line ${seenInFile.get(key)}.`);
      } else {
        seenInFile.set(key, line);
      }
    }

    const description = cell(r, "Description");
    if (description.length > 20000) reasons.push("The description is longer than 20,000 characters.");
    if (reasons.length) {
      problems.push({ line, action: title, reasons });
      continue;
    }
    actions.push({
      line,
      priorityId: priority!.id,
      title,
      paragraphs: description ? description.split(/\r?\n\s*\r?\n/).map((p) => p.trim()).filter(Boolean) : [],
      leadOrganisationId,
      supportingOrganisationIds,
      dueLabel,
      milestones,
      kpiIds,
      recommendationIds,
    });
  }
  return problems.length ? { ok: false, problems } : { ok: true, actions };
}
