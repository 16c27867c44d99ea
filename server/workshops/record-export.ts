/**
 * The workshop record as a Word document (for the partnership board's papers) and as CSV (for
 * a spreadsheet), from the same data the record page shows.
 */
import { stringify } from "csv-stringify/sync";
import {
  AlignmentType,
  Document,
  HeadingLevel,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from "docx";
import type { WorkshopRecord } from "../../db/queries/workshops";

const STATUS: Record<string, string> = { scheduled: "Not started", live: "In progress", closed: "Closed" };

function when(iso: string | null): string {
  if (!iso) return "";
  return new Date(iso).toLocaleString("en-GB", {
    day: "numeric",
    month: "long",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZone: "Europe/London",
  });
}

function scheduled(value: string): string {
  return value.replace("T", " ");
}

function leadText(lead: string | null, status: string | null): string {
  if (!lead) return "No lead partner yet";
  return status === "pending" ? `${lead} (asked; pending until it accepts)` : `${lead} (accepted)`;
}

function cell(text: string, opts: { bold?: boolean; width?: number } = {}): TableCell {
  return new TableCell({
    width: opts.width ? { size: opts.width, type: WidthType.PERCENTAGE } : undefined,
    children: [new Paragraph({ children: [new TextRun({ text, bold: opts.bold })] })],
  });
}

function table(headers: string[], rows: string[][], widths: number[]): Table {
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [
      new TableRow({ tableHeader: true, children: headers.map((h, i) => cell(h, { bold: true, width: widths[i] })) }),
      ...rows.map((r) => new TableRow({ children: r.map((t, i) => cell(t, { width: widths[i] })) })),
    ],
  });
}

const h1 = (text: string) => new Paragraph({ text, heading: HeadingLevel.HEADING_1 });
const h2 = (text: string) => new Paragraph({ text, heading: HeadingLevel.HEADING_2 });
const h3 = (text: string) => new Paragraph({ text, heading: HeadingLevel.HEADING_3 });
const p = (text: string) => new Paragraph({ text });
const bullet = (text: string, level = 0) => new Paragraph({ text, bullet: { level } });

export async function recordToDocx(record: WorkshopRecord): Promise<Buffer> {
  const { workshop } = record;
  const itemTitle = new Map(record.agenda.map((i) => [i.id, `${i.position}. ${i.title}`]));
  const body: (Paragraph | Table)[] = [
    new Paragraph({ text: workshop.title, heading: HeadingLevel.TITLE }),
    p(`Workshop record · ${workshop.planTitle}`),
    p(`Scheduled for ${scheduled(workshop.scheduledFor)} (UK time). Status: ${STATUS[workshop.status] ?? workshop.status}.`),
  ];
  if (workshop.startedAt) body.push(p(`Started ${when(workshop.startedAt)}${workshop.closedAt ? `; closed ${when(workshop.closedAt)}` : ""}.`));
  if (workshop.facilitator) body.push(p(`Facilitator: ${workshop.facilitator}.`));

  body.push(h1("Agenda"));
  body.push(
    record.agenda.length
      ? table(
          ["#", "Item", "About", "Time box"],
          record.agenda.map((i) => [String(i.position), i.title, i.linkLabel ?? "", `${i.minutes} min`]),
          [6, 40, 40, 14],
        )
      : p("The agenda was empty."),
  );

  body.push(h1("Attendance"));
  const people = record.attendance.reduce((n, g) => n + g.people.length, 0);
  body.push(p(`${people} ${people === 1 ? "person" : "people"} took part.`));
  for (const g of record.attendance) {
    body.push(h3(`${g.organisation} (${g.people.length})`));
    for (const person of g.people) body.push(bullet(`${person.name}${person.kind === "facilitator" ? " (facilitator)" : ""}`));
  }
  const absent = record.invited.filter((o) => !o.attended);
  if (record.invited.length) {
    body.push(p(`Invited organisations: ${record.invited.map((o) => o.name).join(", ")}.`));
    if (absent.length) body.push(p(`Invited but not present: ${absent.map((o) => o.name).join(", ")}.`));
  }

  body.push(h1("Ideas"));
  for (const board of record.ideas) {
    body.push(h2(itemTitle.get(board.itemId) ?? "Agenda item"));
    if (!board.ideas.length) body.push(p("No ideas."));
    for (const idea of board.ideas) {
      const extras = [idea.byLabel, idea.group ? `group: ${idea.group}` : "", idea.action ? `became the action “${idea.action}”` : ""].filter(Boolean);
      body.push(bullet(`${idea.text} (${extras.join("; ")})`));
      for (const m of idea.merged) body.push(bullet(`merged in: ${m}`, 1));
    }
  }

  body.push(h1("Votes"));
  if (!record.votes.length) body.push(p("No votes were held."));
  for (const v of record.votes) {
    body.push(h2(v.title));
    body.push(
      p(
        `On ${v.itemTitle}. ${v.allowance} ${v.allowance === 1 ? "vote" : "votes"} each; ${v.dotsCast} cast by ${v.voters} ${v.voters === 1 ? "person" : "people"}.${v.revealed ? "" : " The results were not shown in the session."}`,
      ),
    );
    if (v.results) {
      body.push(table(["Rank", v.subject === "ideas" ? "Idea" : "Action", "Votes"], v.results.map((r) => [String(r.rank), r.label, String(r.count)]), [10, 75, 15]));
    } else {
      body.push(p("Results are added to the record when the workshop closes."));
    }
  }

  body.push(h1("Polls and consent checks"));
  if (!record.polls.length) body.push(p("No polls or consent checks were held."));
  for (const poll of record.polls) {
    body.push(h2(`${poll.kind === "consent" ? "Consent check" : "Poll"}: ${poll.question}`));
    body.push(p(`On ${poll.itemTitle}. ${poll.answered} ${poll.answered === 1 ? "person" : "people"} answered.`));
    if (!poll.results) {
      body.push(p("Still open: the answers are added to the record when the facilitator closes it."));
      continue;
    }
    const width = Math.floor(70 / Math.max(1, poll.options.length));
    body.push(
      table(
        ["Organisation", ...poll.options.map((o) => o.label)],
        [
          ...poll.results.byOrganisation.map((r) => [r.organisation, ...poll.options.map((o) => String(r.counts[o.id] ?? 0))]),
          ["Everyone", ...poll.options.map((o) => String(poll.results!.totals[o.id] ?? 0))],
        ],
        [30, ...poll.options.map(() => width)],
      ),
    );
    for (const r of poll.results.reasons) body.push(bullet(`${r.option} (${r.organisation}): ${r.reason}`));
  }

  body.push(h1("Decisions"));
  if (!record.decisions.length) body.push(p("No decisions were recorded."));
  for (const d of record.decisions) body.push(bullet(`${d.itemTitle ? `${d.itemTitle}: ` : ""}${d.text}`));

  body.push(h1("Actions created"));
  body.push(
    record.actions.length
      ? table(
          ["Action", "Priority", "Lead partner", "From the idea"],
          record.actions.map((a) => [a.title, a.priority ?? "", leadText(a.lead, a.leadStatus), a.fromIdea ?? ""]),
          [30, 25, 25, 20],
        )
      : p("No actions were created in this workshop."),
  );
  body.push(new Paragraph({ alignment: AlignmentType.RIGHT, children: [new TextRun({ text: `Exported ${when(new Date().toISOString())}`, italics: true })] }));

  const doc = new Document({
    creator: "Co-design Workspace",
    title: `${workshop.title}: workshop record`,
    description: `Workshop record for ${workshop.planTitle}`,
    sections: [{ children: body }],
  });
  return Packer.toBuffer(doc);
}

export const CSV_COLUMNS = ["Record", "Agenda item", "Text", "Organisation", "Person", "Votes", "Rank", "Status", "Time"] as const;

/** One table, a row per fact; the first column says which part of the record it belongs to. */
export function recordToCsv(record: WorkshopRecord): string {
  const itemTitle = new Map(record.agenda.map((i) => [i.id, `${i.position}. ${i.title}`]));
  const rows: string[][] = [];
  const row = (r: Partial<Record<(typeof CSV_COLUMNS)[number], string | number>>) =>
    rows.push(CSV_COLUMNS.map((c) => String(r[c] ?? "")));
  row({ Record: "Workshop", Text: record.workshop.title, Status: STATUS[record.workshop.status], Time: record.workshop.scheduledFor });
  for (const i of record.agenda) row({ Record: "Agenda", "Agenda item": `${i.position}. ${i.title}`, Text: i.linkLabel ?? "", Status: `${i.minutes} min` });
  for (const g of record.attendance) {
    for (const person of g.people) row({ Record: "Attendance", Organisation: g.organisation, Person: person.name, Status: person.kind, Time: person.joinedAt });
  }
  for (const o of record.invited) row({ Record: "Invitation", Organisation: o.name, Status: o.attended ? "attended" : "not present" });
  for (const b of record.ideas) {
    for (const idea of b.ideas) {
      row({ Record: "Idea", "Agenda item": itemTitle.get(b.itemId) ?? "", Text: idea.text, Organisation: idea.byLabel, Status: idea.action ? `action: ${idea.action}` : (idea.group ?? "") });
      for (const m of idea.merged) row({ Record: "Idea (merged)", "Agenda item": itemTitle.get(b.itemId) ?? "", Text: m, Status: `merged into: ${idea.text}` });
    }
  }
  for (const v of record.votes) {
    for (const r of v.results ?? []) {
      row({ Record: "Vote", "Agenda item": v.itemTitle, Text: r.label, Votes: r.count, Rank: r.rank, Status: v.title });
    }
  }
  for (const poll of record.polls) {
    const kind = poll.kind === "consent" ? "Consent check" : "Poll";
    for (const r of poll.results?.byOrganisation ?? []) {
      for (const o of poll.options) {
        row({ Record: kind, "Agenda item": poll.itemTitle, Text: o.label, Organisation: r.organisation, Votes: r.counts[o.id] ?? 0, Status: poll.question });
      }
    }
    for (const o of poll.options) {
      if (poll.results) row({ Record: kind, "Agenda item": poll.itemTitle, Text: o.label, Organisation: "Everyone", Votes: poll.results.totals[o.id] ?? 0, Status: poll.question });
    }
    for (const r of poll.results?.reasons ?? []) {
      row({ Record: `${kind} reason`, "Agenda item": poll.itemTitle, Text: r.reason, Organisation: r.organisation, Status: `${r.option}: ${poll.question}` });
    }
  }
  for (const d of record.decisions) row({ Record: "Decision", "Agenda item": d.itemTitle ?? "", Text: d.text, Person: d.recordedBy ?? "", Time: d.createdAt });
  for (const a of record.actions) {
    row({ Record: "Action created", Text: a.title, Organisation: a.lead ?? "", Status: a.lead ? `lead ${a.leadStatus ?? ""}`.trim() : "no lead partner yet" });
  }
  return stringify([CSV_COLUMNS as unknown as string[], ...rows]);
}
