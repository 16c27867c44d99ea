/**
 * The partnership-board / Cabinet report as a Word document, built with `docx`: a title page, the
 * RAG summary with the direction of travel, the exceptions the board should discuss, coverage
 * gaps, then every action by priority with its owners, RAG status and reasons, milestones and
 * latest update. Colour is never the only signal: every status is also written as a word.
 */
import {
  BorderStyle,
  Document,
  HeadingLevel,
  Packer,
  PageBreak,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from "docx";
import type { RagColour } from "../../db/schema";
import { formatDate } from "./dates";
import { coverageMatrix, ragCounts, type Delivery, type DeliveryAction } from "./delivery";
import type { SignOffTrailRow } from "../../db/queries/agreement";
import { describeRule, RAG_LABEL, STATUS_LABEL } from "./rag";

export interface ReportMeta {
  planTitle: string;
  partnership: string;
  preparedBy: string;
  preparedOn: string;
  /** Partner sign-offs and agreement changes (issue 7), oldest first; shown as its own section. */
  signOffTrail?: readonly SignOffTrailRow[];
}

const RAG_FILL: Record<RagColour, { fill: string; text: string }> = {
  red: { fill: "D4351C", text: "FFFFFF" },
  amber: { fill: "FFDD00", text: "0B0C0C" },
  green: { fill: "00703C", text: "FFFFFF" },
};

const DIRECTION_TEXT: Record<NonNullable<DeliveryAction["direction"]>, string> = {
  improved: "improved",
  worse: "worse",
  same: "no change",
  new: "new since the last report",
};

function ragRun(status: RagColour): TextRun {
  return new TextRun({
    text: ` ${RAG_LABEL[status]} `,
    bold: true,
    color: RAG_FILL[status].text,
    shading: { type: ShadingType.CLEAR, fill: RAG_FILL[status].fill, color: "auto" },
  });
}

const cellBorder = { style: BorderStyle.SINGLE, size: 4, color: "B1B4B6" };
function cell(children: (string | TextRun)[], opts: { header?: boolean; width?: number } = {}): TableCell {
  return new TableCell({
    width: opts.width ? { size: opts.width, type: WidthType.PERCENTAGE } : undefined,
    borders: { top: cellBorder, bottom: cellBorder, left: cellBorder, right: cellBorder },
    shading: opts.header ? { type: ShadingType.CLEAR, fill: "F3F2F1", color: "auto" } : undefined,
    children: [
      new Paragraph({
        children: children.map((c) => (typeof c === "string" ? new TextRun({ text: c, bold: opts.header }) : c)),
      }),
    ],
  });
}

function summaryTable(delivery: Delivery): Table {
  const counts = ragCounts(delivery.actions);
  const pct = (n: number) => (counts.total ? `${Math.round((n / counts.total) * 100)}%` : "0%");
  const change = (status: RagColour) => {
    const moved = delivery.actions.filter((a) => a.rag.status === status && a.previous !== null && a.previous !== status).length;
    return delivery.lastReport ? `${moved} moved here since the last report` : "No earlier report";
  };
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [
      new TableRow({
        tableHeader: true,
        children: [cell(["Status"], { header: true, width: 20 }), cell(["Actions"], { header: true, width: 15 }), cell(["Share"], { header: true, width: 15 }), cell(["Change"], { header: true, width: 50 })],
      }),
      ...(["red", "amber", "green"] as const).map(
        (s) => new TableRow({ children: [cell([ragRun(s)]), cell([String(counts[s])]), cell([pct(counts[s])]), cell([change(s)])] }),
      ),
      new TableRow({ children: [cell(["Total"], { header: true }), cell([String(counts.total)], { header: true }), cell(["100%"], { header: true }), cell([""], { header: true })] }),
    ],
  });
}

function actionBlock(a: DeliveryAction): (Paragraph | Table)[] {
  const blocks: (Paragraph | Table)[] = [];
  blocks.push(new Paragraph({ heading: HeadingLevel.HEADING_3, children: [new TextRun({ text: a.title })] }));
  const was =
    a.direction === null
      ? "no earlier report"
      : a.previous
        ? `was ${RAG_LABEL[a.previous]}, ${DIRECTION_TEXT[a.direction]}`
        : DIRECTION_TEXT[a.direction];
  blocks.push(new Paragraph({ children: [new TextRun({ text: "Status: ", bold: true }), ragRun(a.rag.status), new TextRun({ text: ` (${was})` })] }));
  for (const r of a.rag.reasons) blocks.push(new Paragraph({ bullet: { level: 0 }, children: [new TextRun({ text: r.text })] }));
  const lead = a.lead ? `${a.lead.name}${a.lead.status === "pending" ? " (asked, not yet accepted)" : ""}` : "No lead partner";
  blocks.push(new Paragraph({ children: [new TextRun({ text: "Lead partner: ", bold: true }), new TextRun({ text: lead })] }));
  blocks.push(
    new Paragraph({
      children: [
        new TextRun({ text: "Supporting partners: ", bold: true }),
        ...(a.supporting.length
          ? a.supporting.flatMap((s, i) => [
              ...(i ? [new TextRun({ text: "; " })] : []),
              new TextRun({ text: s.name }),
              ...(s.status === "pending" ? [new TextRun({ text: " (asked)" })] : []),
            ])
          : [new TextRun({ text: "none" })]),
      ],
    }),
  );
  if (a.kpis.length || a.recommendations.length) {
    const links = [
      ...a.recommendations.map((r) => `recommendation ${r.code}`),
      ...a.kpis.map((k) => `KPI ${k.code} (${k.title})`),
    ];
    blocks.push(new Paragraph({ children: [new TextRun({ text: "Serves: ", bold: true }), new TextRun({ text: links.join("; ") })] }));
  }
  blocks.push(new Paragraph({ children: [new TextRun({ text: "Milestones:", bold: true })] }));
  if (a.milestones.length === 0) blocks.push(new Paragraph({ bullet: { level: 0 }, children: [new TextRun({ text: "None set" })] }));
  for (const m of a.milestones) {
    const state = m.state === "done" ? `done ${formatDate(m.completedOn!)}` : m.state === "overdue" ? "overdue" : "due";
    blocks.push(new Paragraph({ bullet: { level: 0 }, children: [new TextRun({ text: `${formatDate(m.dueDate)}: ${m.title} (${state})` })] }));
  }
  if (a.latest) {
    blocks.push(
      new Paragraph({
        children: [
          new TextRun({ text: `Latest update (${formatDate(a.latest.reportedOn)}, ${STATUS_LABEL[a.latest.status]}, ${a.latest.authorName}, ${a.latest.authorOrganisationName}): `, bold: true }),
          new TextRun({ text: a.latest.narrative }),
        ],
      }),
    );
    if (a.latest.mitigation) {
      blocks.push(new Paragraph({ children: [new TextRun({ text: "Mitigation: ", bold: true }), new TextRun({ text: a.latest.mitigation })] }));
    }
  } else {
    blocks.push(new Paragraph({ children: [new TextRun({ text: "Latest update: ", bold: true }), new TextRun({ text: "no update yet" })] }));
  }
  return blocks;
}

export function buildBoardReportDocument(delivery: Delivery, meta: ReportMeta): Document {
  const counts = ragCounts(delivery.actions);
  const exceptions = delivery.actions.filter((a) => a.rag.status === "red");
  const worse = delivery.actions.filter((a) => a.direction === "worse");
  const coverage = coverageMatrix(delivery);
  const gaps = coverage.rows.filter((r) => r.gap === "no-lead" || r.gap === "no-actions");
  const partial = coverage.rows.filter((r) => r.gap === "some-without-lead");
  const moved = delivery.lastReport
    ? `Since “${delivery.lastReport.title}” (as at ${formatDate(delivery.lastReport.asAt)}): ${delivery.actions.filter((a) => a.direction === "improved").length} improved, ${worse.length} worse, ${delivery.actions.filter((a) => a.direction === "same").length} unchanged, ${delivery.actions.filter((a) => a.direction === "new").length} new.`
    : "This is the first report of record for this plan, so there is no direction of travel yet.";

  const children: (Paragraph | Table)[] = [
    new Paragraph({ children: [new TextRun({ text: meta.partnership, size: 28 })], spacing: { before: 2400, after: 400 } }),
    new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun({ text: meta.planTitle })] }),
    new Paragraph({ children: [new TextRun({ text: "Partnership board and Cabinet performance report", size: 32 })], spacing: { after: 400 } }),
    new Paragraph({ children: [new TextRun({ text: `Status as at ${formatDate(delivery.asAt)}`, bold: true, size: 28 })] }),
    new Paragraph({ children: [new TextRun({ text: `Prepared by ${meta.preparedBy} on ${formatDate(meta.preparedOn)}.` })], spacing: { after: 400 } }),
    new Paragraph({
      children: [
        new TextRun({
          text: `${counts.total} actions: ${counts.red} red, ${counts.amber} amber, ${counts.green} green.`,
          bold: true,
        }),
      ],
    }),
    new Paragraph({ children: [new TextRun({ text: moved })] }),
    new Paragraph({ children: [new PageBreak()] }),

    new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun({ text: "1. RAG summary" })] }),
    summaryTable(delivery),
    new Paragraph({ children: [new TextRun({ text: moved })], spacing: { before: 200 } }),
    new Paragraph({ heading: HeadingLevel.HEADING_2, children: [new TextRun({ text: "How the status is set" })] }),
    new Paragraph({ children: [new TextRun({ text: "The partnership's rules, applied to each action as at the report date (the worst matching rule wins; no match is green):" })] }),
    ...delivery.rules
      .filter((r) => r.enabled)
      .map((r) => new Paragraph({ bullet: { level: 0 }, children: [new TextRun({ text: describeRule(r) })] })),

    new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun({ text: "2. For the board's attention" })] }),
    new Paragraph({ heading: HeadingLevel.HEADING_2, children: [new TextRun({ text: `Red actions (${exceptions.length})` })] }),
    ...(exceptions.length
      ? exceptions.map(
          (a) =>
            new Paragraph({
              bullet: { level: 0 },
              children: [new TextRun({ text: `${a.title} (${a.lead?.name ?? "no lead partner"}): `, bold: true }), new TextRun({ text: a.rag.reasons.map((r) => r.text).join(" ") })],
            }),
        )
      : [new Paragraph({ children: [new TextRun({ text: "No action is red." })] })]),
    new Paragraph({ heading: HeadingLevel.HEADING_2, children: [new TextRun({ text: `Worse since the last report (${worse.length})` })] }),
    ...(worse.length
      ? worse.map(
          (a) =>
            new Paragraph({
              bullet: { level: 0 },
              children: [new TextRun({ text: `${a.title}: ${RAG_LABEL[a.previous!]} to ${RAG_LABEL[a.rag.status]}` })],
            }),
        )
      : [new Paragraph({ children: [new TextRun({ text: delivery.lastReport ? "No action got worse." : "No earlier report to compare with." })] })]),
    new Paragraph({ heading: HeadingLevel.HEADING_2, children: [new TextRun({ text: "Priorities without a lead partner" })] }),
    ...(gaps.length + partial.length
      ? [
          ...gaps.map(
            (g) =>
              new Paragraph({
                bullet: { level: 0 },
                children: [new TextRun({ text: `${g.priority.code} ${g.priority.title}: ${g.gap === "no-actions" ? "no actions yet, so no partner leads it" : "no partner has accepted the lead of any of its actions"}` })],
              }),
          ),
          ...partial.map(
            (g) =>
              new Paragraph({
                bullet: { level: 0 },
                children: [new TextRun({ text: `${g.priority.code} ${g.priority.title}: ${g.withoutLead} of ${g.actions} actions have no accepted lead` })],
              }),
          ),
        ]
      : [new Paragraph({ children: [new TextRun({ text: "Every priority has a lead partner." })] })]),

    new Paragraph({ children: [new PageBreak()] }),
    new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun({ text: "3. Actions by priority" })] }),
  ];
  for (const p of delivery.priorities) {
    children.push(new Paragraph({ heading: HeadingLevel.HEADING_2, children: [new TextRun({ text: `${p.code} ${p.title}` })] }));
    if (p.actions.length === 0) {
      children.push(new Paragraph({ children: [new TextRun({ text: "No actions under this priority yet.", italics: true })] }));
    }
    for (const a of p.actions) children.push(...actionBlock(a));
  }
  const unassigned = delivery.actions.filter((a) => !delivery.priorities.some((p) => p.id === a.priorityId));
  if (unassigned.length) {
    children.push(new Paragraph({ heading: HeadingLevel.HEADING_2, children: [new TextRun({ text: "Actions under no priority of this plan" })] }));
    for (const a of unassigned) children.push(...actionBlock(a));
  }
  if (meta.signOffTrail) children.push(...signOffSection(meta.signOffTrail));

  return new Document({
    creator: meta.preparedBy,
    title: `${meta.planTitle}: performance report as at ${formatDate(delivery.asAt)}`,
    description: "Partnership board and Cabinet performance report",
    styles: { default: { document: { run: { font: "Arial", size: 22 } } } },
    sections: [{ properties: {}, children }],
  });
}

/**
 * Who agreed which words: every partner sign-off (organisation, person, when, fingerprint of the
 * text) and every change of agreement, so the board sees agreement came from each partner.
 */
function signOffSection(trail: readonly SignOffTrailRow[]): (Paragraph | Table)[] {
  const blocks: (Paragraph | Table)[] = [
    new Paragraph({ children: [new PageBreak()] }),
    new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun({ text: "4. Partner sign-off trail" })] }),
    new Paragraph({
      children: [
        new TextRun({
          text: "An action is agreed only when every partner named on it has signed off the same text. The fingerprint identifies the exact words signed.",
        }),
      ],
    }),
  ];
  if (trail.length === 0) {
    blocks.push(new Paragraph({ children: [new TextRun({ text: "No partner has signed off an action of this plan yet.", italics: true })] }));
    return blocks;
  }
  blocks.push(
    new Table({
      width: { size: 100, type: WidthType.PERCENTAGE },
      rows: [
        new TableRow({
          tableHeader: true,
          children: [
            cell(["When"], { header: true, width: 16 }),
            cell(["Action"], { header: true, width: 30 }),
            cell(["Organisation and person"], { header: true, width: 24 }),
            cell(["What happened"], { header: true, width: 18 }),
            cell(["Fingerprint"], { header: true, width: 12 }),
          ],
        }),
        ...trail.map(
          (r) =>
            new TableRow({
              children: [
                cell([r.at.slice(0, 16).replace("T", " ")]),
                cell([r.actionTitle]),
                cell([[r.organisationName, r.personName].filter(Boolean).join(", ") || "—"]),
                cell([r.description]),
                cell([r.fingerprint.slice(0, 12)]),
              ],
            }),
        ),
      ],
    }),
  );
  return blocks;
}

export async function buildBoardReport(delivery: Delivery, meta: ReportMeta): Promise<Buffer> {
  return Packer.toBuffer(buildBoardReportDocument(delivery, meta));
}

export const DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

export function reportFileName(planTitle: string, asAt: string): string {
  const slug = planTitle
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 60);
  return `${slug}-report-${asAt}.docx`;
}
