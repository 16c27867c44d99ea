/**
 * A partner's one-page statement: for one organisation, what it leads and supports across the
 * plans, what it has signed, what is late, and its power-sharing commitments, so it can take its
 * own part to its own board. The same blocks as the board report (board-report.ts), so the Word
 * writer renders it, and the page shows the same words.
 *
 * Pure: data in, blocks out.
 */
import { formatDate } from "./dates";
import type { Block, RenderedReport, Run } from "./board-report";
import { RAG_LABEL } from "./rag";
import type { RagColour } from "../../db/schema";

export interface StatementAction {
  id: string;
  title: string;
  planTitle: string;
  role: "lead" | "support";
  rag: RagColour;
  /** Its overdue milestones as at the date: "title (due date)". */
  late: string[];
  /** This organisation's sign-off counts for the action's current words. */
  signed: boolean;
  agreed: boolean;
}

export interface StatementSection {
  planTitle: string;
  title: string;
  levels: { stage: string; level: string; commitment: string; reviewDate: string }[];
  signed: boolean;
  agreed: boolean;
}

export interface PartnerStatementData {
  organisationName: string;
  partnership: string;
  asAt: string;
  preparedBy: string;
  actions: StatementAction[];
  sections: StatementSection[];
}

/** Lists are cut to keep the statement to a page; the rest is counted, never silently dropped. */
const LIMIT = 8;

const t = (text: string, extra: Omit<Run, "text"> = {}): Run => ({ text, ...extra });
const b = (text: string): Run => ({ text, bold: true });

function capped<T>(rows: T[], render: (row: T) => Run[], rest: (n: number) => string): Run[][] {
  const items = rows.slice(0, LIMIT).map(render);
  if (rows.length > LIMIT) items.push([t(rest(rows.length - LIMIT), { italic: true })]);
  return items;
}

export function partnerStatementModel(d: PartnerStatementData): RenderedReport {
  // Red first: what the partner's board most needs to see survives the cut to one page.
  const rank = { red: 0, amber: 1, green: 2 } as const;
  const ordered = [...d.actions].sort((x, y) => rank[x.rag] - rank[y.rag]);
  const lead = ordered.filter((a) => a.role === "lead");
  const support = ordered.filter((a) => a.role === "support");
  const late = ordered.filter((a) => a.late.length > 0);
  const signed = d.actions.filter((a) => a.signed);
  const count = (list: StatementAction[], c: RagColour) => list.filter((a) => a.rag === c).length;
  const ragLine = (list: StatementAction[]) => `${count(list, "red")} red, ${count(list, "amber")} amber, ${count(list, "green")} green`;
  const item = (a: StatementAction): Run[] => [t(RAG_LABEL[a.rag], { rag: a.rag }), t(" "), b(a.title), t(` (${a.planTitle})`)];
  const blocks: Block[] = [
    { kind: "heading", level: 1, text: `${d.organisationName}: partner statement` },
    {
      kind: "paragraph",
      runs: [
        t(
          `As at ${formatDate(d.asAt)}, ${d.organisationName} leads ${lead.length} and supports ${support.length} actions of the ${d.partnership}'s plans; ${late.length} of them ${late.length === 1 ? "has" : "have"} a late milestone. It has signed off the words of ${signed.length} of the ${d.actions.length} actions it is named on, and of ${d.sections.filter((s) => s.signed).length} of the ${d.sections.length} engagement commitments it shares power in.`,
        ),
      ],
    },
    { kind: "heading", level: 2, text: `What it leads (${lead.length}: ${ragLine(lead)})` },
    lead.length ? { kind: "bullets", items: capped(lead, item, (n) => `and ${n} more actions it leads`) } : { kind: "paragraph", style: "note", runs: [t("It leads no action.", { italic: true })] },
    { kind: "heading", level: 2, text: `What it supports (${support.length}: ${ragLine(support)})` },
    support.length ? { kind: "bullets", items: capped(support, item, (n) => `and ${n} more actions it supports`) } : { kind: "paragraph", style: "note", runs: [t("It supports no action.", { italic: true })] },
    { kind: "heading", level: 2, text: `What is late (${late.length})` },
    late.length
      ? { kind: "bullets", items: capped(late, (a) => [b(a.title), t(`: ${a.late.join("; ")}`)], (n) => `and ${n} more actions with late milestones`) }
      : { kind: "paragraph", runs: [t("Nothing it leads or supports is late.")] },
    { kind: "heading", level: 2, text: "What it has signed" },
    {
      kind: "paragraph",
      runs: [
        t(
          `${signed.length} of ${d.actions.length} actions (${d.actions.filter((a) => a.agreed).length} agreed by every partner named on them). ${d.actions.length - signed.length ? `Not yet signed: ${d.actions.length - signed.length}, listed on the plan pages.` : ""}`,
        ),
      ],
    },
    { kind: "heading", level: 2, text: `Power-sharing commitments (${d.sections.length})` },
    d.sections.length
      ? {
          kind: "bullets",
          items: capped(
            d.sections,
            (s) => [
              b(`${s.title} `),
              t(`(${s.planTitle}${s.agreed ? ", agreed" : s.signed ? ", signed by it, awaiting others" : ", not yet signed by it"}): `),
              t(s.levels.map((l) => `${l.level} at the ${l.stage} stage (review ${formatDate(l.reviewDate)}): ${l.commitment}`).join(" ")),
            ],
            (n) => `and ${n} more commitments`,
          ),
        }
      : { kind: "paragraph", style: "note", runs: [t("It has recorded no power-sharing level yet.", { italic: true })] },
  ];
  return {
    title: `${d.organisationName}: partner statement as at ${formatDate(d.asAt)}`,
    description: `Partner statement of ${d.organisationName}`,
    author: d.preparedBy,
    header: `${d.partnership} · partner statement · ${d.organisationName}`,
    footer: `As at ${formatDate(d.asAt)}`,
    blocks,
  };
}
