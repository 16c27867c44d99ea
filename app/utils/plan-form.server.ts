/** Reading the plan forms (new plan, next plan) as a browser without JavaScript posts them. */
import { ZodError } from "zod";
import { DomainError } from "../../server/domain/errors";

export interface PriorityRow {
  code: string;
  title: string;
  description: string;
  grouping: string;
  fromPriorityId: string;
}

const str = (v: FormDataEntryValue | null) => (typeof v === "string" ? v : "");

/** Rows are named priorities[i].field; completely blank rows are spare rows, not priorities. */
export function priorityRows(form: FormData): PriorityRow[] {
  const indexes = new Set<number>();
  for (const key of form.keys()) {
    const m = /^priorities\[(\d{1,3})\]\./.exec(key);
    if (m) indexes.add(Number(m[1]));
  }
  return [...indexes]
    .sort((a, b) => a - b)
    .map((i) => ({
      code: str(form.get(`priorities[${i}].code`)),
      title: str(form.get(`priorities[${i}].title`)),
      description: str(form.get(`priorities[${i}].description`)),
      grouping: str(form.get(`priorities[${i}].grouping`)),
      fromPriorityId: str(form.get(`priorities[${i}].fromPriorityId`)),
    }));
}

export function filledRows(rows: PriorityRow[]): PriorityRow[] {
  return rows.filter((r) => r.code.trim() || r.title.trim() || r.description.trim() || r.grouping.trim());
}

/** Organisations' roles from role:<organisationId> selects ("none" leaves them out). */
export function participantRoles(form: FormData) {
  const out: { organisationId: string; role: string }[] = [];
  for (const [key, value] of form.entries()) {
    if (key.startsWith("role:") && typeof value === "string" && value !== "none" && value !== "") {
      out.push({ organisationId: key.slice(5), role: value });
    }
  }
  return out;
}

export type FieldErrors = Record<string, string>;

/** Zod issues keyed by the field they belong to, so each error is shown next to its control. */
export function fieldErrors(err: unknown, prefix = ""): { form: string; fields: FieldErrors; status: number } | null {
  if (err instanceof DomainError) return { form: err.message, fields: {}, status: err.status };
  if (!(err instanceof ZodError)) return null;
  const fields: FieldErrors = {};
  for (const issue of err.issues) {
    const path = issue.path.filter((p) => p !== "plan");
    const key =
      path[0] === "priorities" && typeof path[1] === "number"
        ? `priorities[${path[1]}].${String(path[2] ?? "title")}`
        : String(path[0] ?? "form");
    fields[prefix + key] ??= issue.message;
  }
  const count = Object.keys(fields).length;
  return { form: `${count === 1 ? "One thing needs" : `${count} things need`} changing before this can be saved: see the messages next to the fields.`, fields, status: 400 };
}
