/**
 * The Cabinet / partnership-board report as a format-neutral document: the TEMPLATE of a UK
 * council committee report (cover, contents, summary, recommendations, reasons, background,
 * delivery position, exceptions, appendix of every action, sign-off trail) filled with DATA (the
 * delivery record as at a date, the agreement of each action, and the words the facilitator
 * stored for this plan). The Word and ODF writers render exactly this, so both formats always
 * have the same structure and wording.
 *
 * Pure: data in, blocks out. It runs in a worker thread as well as on the main thread.
 */
import type { RagColour } from "../../db/schema";
import type { SignOffTrailRow } from "../../db/queries/agreement";
import { formatDate } from "./dates";
import { coverageMatrix, ragCounts, type Delivery, type DeliveryAction } from "./delivery";
import { describeRule, RAG_LABEL, STATUS_LABEL } from "./rag";

// ---------------------------------------------------------------------------------------------
// Blocks the writers know how to render
// ---------------------------------------------------------------------------------------------

export interface Run {
  text: string;
  bold?: boolean;
  italic?: boolean;
  /** Rendered as a coloured tag; the word is always in the text too, so colour is never the only signal. */
  rag?: RagColour;
}

export type Cell = Run[];

export type Block =
  | { kind: "cover"; partnership: string; title: string; subtitle: string; rows: [string, string][] }
  | { kind: "contents" }
  | { kind: "heading"; level: 1 | 2 | 3; text: string }
  | { kind: "paragraph"; runs: Run[]; style?: "normal" | "quote" | "note" }
  | { kind: "bullets"; items: Run[][] }
  | { kind: "table"; caption: string; header: string[]; widths: number[]; rows: Cell[][] }
  | { kind: "pagebreak" };

export interface RenderedReport {
  title: string;
  description: string;
  author: string;
  /** Running header (every page but the cover) and footer (with "Page N of M" added by the writer). */
  header: string;
  footer: string;
  blocks: Block[];
}

// ---------------------------------------------------------------------------------------------
// Data
// ---------------------------------------------------------------------------------------------

export interface Wording {
  title: string;
  paragraphs: string[];
}

/** Where an action (or proposal section) stands on agreement, as the report states it. */
export interface AgreementSummary {
  status: "agreed" | "changed" | "awaiting" | "no-partners";
  /** The words now (live). */
  current: Wording;
  /** The words every named partner signed, when it was agreed once. */
  agreed: Wording | null;
  agreedAt: string | null;
  /** Short fingerprints, so a reader can compare versions by eye. */
  version: string;
  agreedVersion: string | null;
  signedBy: string[];
  waitingFor: string[];
}

/** The words a facilitator stores for the report of a plan (table report_settings). */
export interface ReportWords {
  meeting: string;
  meetingDate: string;
  reportOf: string;
  classification: string;
  /** Paragraphs separated by a blank line: each is one recommendation. */
  recommendations: string;
  reasons: string;
}

export interface ReportMeta {
  planTitle: string;
  partnership: string;
  preparedBy: string;
  preparedOn: string;
  /** Partner sign-offs and agreement changes (issue 7), oldest first; shown as an appendix. */
  signOffTrail?: readonly SignOffTrailRow[];
  /** The facilitator's words; defaults (marked as such) when none are stored. */
  words?: ReportWords;
  /** Agreement of each action, by action id. */
  agreement?: Readonly<Record<string, AgreementSummary>>;
  /** The plan's summary and the recommendations it answers, for the background section. */
  planSummary?: string;
  answers?: readonly { code: string; title: string }[];
}

export const DEFAULT_WORDS: ReportWords = {
  meeting: "Team Bury partnership board",
  meetingDate: "",
  reportOf: "The partnership's facilitator",
  classification: "Open",
  recommendations: "",
  reasons: "",
};

const DIRECTION_TEXT: Record<NonNullable<DeliveryAction["direction"]>, string> = {
  improved: "improved",
  worse: "worse",
  same: "no change",
  new: "new since the last report",
};

const t = (text: string, extra: Omit<Run, "text"> = {}): Run => ({ text, ...extra });
const b = (text: string): Run => ({ text, bold: true });
const p = (...runs: Run[]): Block => ({ kind: "paragraph", runs });
const h = (level: 1 | 2 | 3, text: string): Block => ({ kind: "heading", level, text });
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const listNames = (names: readonly string[]) =>
  names.length <= 1 ? names.join("") : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;

export function splitParagraphs(text: string): string[] {
  return text
    .split(/\r?\n\s*\r?\n/)
    .map((s) => s.replace(/\s+/g, " ").trim())
    .filter(Boolean);
}

/** The exceptions the meeting should discuss: red actions, and any whose status got worse. */
export function exceptionActions(delivery: Pick<Delivery, "actions">): DeliveryAction[] {
  return delivery.actions.filter((a) => a.rag.status === "red" || a.direction === "worse");
}

export function agreementSentence(s: AgreementSummary | undefined): string {
  if (!s) return "Agreement not recorded in this report.";
  switch (s.status) {
    case "agreed":
      return `Agreed${s.agreedAt ? ` on ${formatDate(s.agreedAt.slice(0, 10))}` : ""}: ${listNames(s.signedBy)} signed off these words (version ${s.version}).`;
    case "changed":
      return `The words agreed as version ${s.agreedVersion} have since changed, so sign-off is open again. Awaiting ${listNames(s.waitingFor)}.`;
    case "awaiting":
      return s.signedBy.length
        ? `Awaiting ${listNames(s.waitingFor)}: signed off so far by ${listNames(s.signedBy)}.`
        : `Awaiting ${listNames(s.waitingFor)}: no named partner has signed off yet.`;
    case "no-partners":
      return "Not yet agreed: no partner has accepted a role, so nobody can sign it off.";
  }
}

export const AGREEMENT_LABEL: Record<AgreementSummary["status"], string> = {
  agreed: "Agreed",
  changed: "Changed since agreed",
  awaiting: "Awaiting sign-off",
  "no-partners": "No partner named",
};

function owners(a: DeliveryAction): string {
  const lead = a.lead ? `${a.lead.name} (lead${a.lead.status === "pending" ? ", asked, not yet accepted" : ""})` : "No lead partner";
  const support = a.supporting.map((s) => `${s.name}${s.status === "pending" ? " (asked)" : ""}`);
  return support.length ? `${lead}; supported by ${support.join(", ")}` : lead;
}

function ragCell(a: DeliveryAction): Cell {
  return [t(RAG_LABEL[a.rag.status], { rag: a.rag.status })];
}

function directionText(a: DeliveryAction): string {
  if (a.direction === null) return "no earlier report";
  return a.previous ? `was ${RAG_LABEL[a.previous]}, ${DIRECTION_TEXT[a.direction]}` : DIRECTION_TEXT[a.direction];
}

/** Builds the report. `delivery` and `meta` are plain data (structured-cloneable). */
export function boardReportModel(delivery: Delivery, meta: ReportMeta): RenderedReport {
  const words = { ...DEFAULT_WORDS, ...(meta.words ?? {}) };
  const counts = ragCounts(delivery.actions);
  const exceptions = exceptionActions(delivery);
  const worse = delivery.actions.filter((a) => a.direction === "worse");
  const improved = delivery.actions.filter((a) => a.direction === "improved");
  const coverage = coverageMatrix(delivery);
  const gaps = coverage.rows.filter((r) => r.gap !== null);
  const agreement = meta.agreement ?? {};
  const agreedCount = delivery.actions.filter((a) => agreement[a.id]?.status === "agreed").length;
  const changedCount = delivery.actions.filter((a) => agreement[a.id]?.status === "changed").length;
  const asAt = formatDate(delivery.asAt);
  const meetingDate = words.meetingDate ? formatDate(words.meetingDate) : "to be confirmed";
  const title = `${meta.planTitle}: delivery report as at ${asAt}`;
  const travel = delivery.lastReport
    ? `Since “${delivery.lastReport.title}” (as at ${formatDate(delivery.lastReport.asAt)}): ${improved.length} improved, ${worse.length} worse, ${delivery.actions.filter((a) => a.direction === "same").length} unchanged, ${delivery.actions.filter((a) => a.direction === "new").length} new.`
    : "This is the first report of record for this plan, so there is no direction of travel yet.";

  const blocks: Block[] = [];
  blocks.push({
    kind: "cover",
    partnership: meta.partnership,
    title: meta.planTitle,
    subtitle: "Delivery report",
    rows: [
      ["Report to", words.meeting],
      ["Date of meeting", meetingDate],
      ["Report of", words.reportOf],
      ["Classification", words.classification],
      ["Status as at", asAt],
      ["Prepared by", `${meta.preparedBy}, ${formatDate(meta.preparedOn)}`],
    ],
  });
  blocks.push({ kind: "pagebreak" }, { kind: "contents" }, { kind: "pagebreak" });

  // 1. Summary: data only.
  blocks.push(h(1, "1. Summary"));
  blocks.push(
    p(
      t(
        `This report sets out the delivery position of ${meta.planTitle} as at ${asAt}: ${plural(counts.total, "action")}, of which ${counts.red} red, ${counts.amber} amber and ${counts.green} green.`,
      ),
    ),
    p(t(travel)),
    p(
      t(
        `${plural(exceptions.length, "action")} ${exceptions.length === 1 ? "is an exception" : "are exceptions"} for the meeting's attention (red, or worse than at the last report). ${agreedCount} of ${counts.total} actions are agreed by every partner named on them${changedCount ? `; the words of ${changedCount} changed after they were agreed` : ""}.`,
      ),
    ),
  );
  if (gaps.length) {
    blocks.push(p(t(`${plural(gaps.length, "priority", "priorities")} of the plan ${gaps.length === 1 ? "has" : "have"} actions without an accepted lead partner (section 5.3).`)));
  }

  // 2. Recommendations: the facilitator's words, numbered.
  blocks.push(h(1, "2. Recommendations"));
  const recs = splitParagraphs(words.recommendations);
  if (recs.length) {
    blocks.push(p(t(`That the ${words.meeting}:`)));
    recs.forEach((r, i) => blocks.push(p(b(`2.${i + 1} `), t(r))));
  } else {
    blocks.push({ kind: "paragraph", style: "note", runs: [t("No recommendations were written for this report. The facilitator writes them on the plan's Reports page before downloading.", { italic: true })] });
  }

  // 3. Reasons.
  blocks.push(h(1, "3. Reasons for the recommendations"));
  const reasons = splitParagraphs(words.reasons);
  if (reasons.length) reasons.forEach((r, i) => blocks.push(p(b(`3.${i + 1} `), t(r))));
  else {
    blocks.push(
      p(
        b("3.1 "),
        t(
          "Partners hold each other to account for delivery of the plan they co-designed. This report gives the meeting the facts to do so: each action's status under the partnership's rules, who leads it, and whether every partner named on it has agreed its words.",
        ),
      ),
    );
  }

  // 4. Background.
  blocks.push(h(1, "4. Background"));
  if (meta.planSummary) blocks.push(p(b("4.1 "), t(meta.planSummary)));
  if (meta.answers?.length) {
    blocks.push(p(b(`4.${meta.planSummary ? 2 : 1} `), t("The plan answers these recommendations:")));
    blocks.push({ kind: "bullets", items: meta.answers.map((r) => [t(`${r.code} ${r.title}`)]) });
  }
  blocks.push(
    p(
      t(
        "Actions were co-designed by the partners on equal terms. An action is agreed only when every partner named on it has signed off the same words; if the words change, it is open for sign-off again. Appendix A gives the agreed wording and agreement status of every action; Appendix B the sign-off trail.",
      ),
    ),
  );

  // 5. Delivery position.
  blocks.push(h(1, "5. Delivery position"));
  blocks.push(h(2, "5.1 RAG summary and direction of travel"));
  const pct = (n: number) => (counts.total ? `${Math.round((n / counts.total) * 100)}%` : "0%");
  blocks.push({
    kind: "table",
    caption: "RAG summary",
    header: ["Status", "Actions", "Share", "Moved here since the last report"],
    widths: [20, 15, 15, 50],
    rows: [
      ...(["red", "amber", "green"] as const).map((s): Cell[] => [
        [t(RAG_LABEL[s], { rag: s })],
        [t(String(counts[s]))],
        [t(pct(counts[s]))],
        [
          t(
            delivery.lastReport
              ? String(delivery.actions.filter((a) => a.rag.status === s && a.previous !== null && a.previous !== s).length)
              : "No earlier report",
          ),
        ],
      ]),
      [[b("Total")], [b(String(counts.total))], [b("100%")], [t("")]],
    ],
  });
  blocks.push(p(t(travel)));
  blocks.push(h(2, "5.2 The rules used"));
  blocks.push(p(t("The partnership's rules, applied to each action as at the report date (the worst matching rule wins; an action no rule matches is green):")));
  blocks.push({ kind: "bullets", items: delivery.rules.filter((r) => r.enabled).map((r) => [t(describeRule(r))]) });
  blocks.push(h(2, "5.3 Priorities without a lead partner"));
  if (gaps.length) {
    blocks.push({
      kind: "bullets",
      items: gaps.map((g) => [
        b(`${g.priority.code} ${g.priority.title}: `),
        t(
          g.gap === "no-actions"
            ? "no actions yet, so no partner leads it"
            : g.gap === "no-lead"
              ? "no partner has accepted the lead of any of its actions"
              : `${g.withoutLead} of ${g.actions} actions have no accepted lead`,
        ),
      ]),
    });
  } else blocks.push(p(t("Every priority has a lead partner.")));

  // 6. Exceptions.
  blocks.push(h(1, "6. Exceptions"));
  blocks.push(p(t("Actions that are red, or whose status is worse than at the last report, with their owners, the reasons and the owners' mitigation.")));
  if (exceptions.length) {
    blocks.push({
      kind: "table",
      caption: "Exceptions",
      header: ["Action", "Status", "Owners", "Reasons", "Mitigation"],
      widths: [24, 12, 20, 22, 22],
      rows: exceptions.map((a) => [
        [b(a.title)],
        [t(RAG_LABEL[a.rag.status], { rag: a.rag.status }), t(` (${directionText(a)})`)],
        [t(owners(a))],
        [t(a.rag.reasons.map((r) => r.text).join(" ") || "Worse than at the last report.")],
        [t(a.latest?.mitigation || "No mitigation recorded.", a.latest?.mitigation ? {} : { italic: true })],
      ]),
    });
  } else blocks.push(p(t("No action is red or worse than at the last report.")));

  // Appendix A: every action.
  blocks.push({ kind: "pagebreak" });
  blocks.push(h(1, "Appendix A. Every action by priority"));
  blocks.push(p(t("For each action: its agreed wording and agreement status, owners, status, milestones and latest update.")));
  let n = 0;
  const actionBlocks = (a: DeliveryAction) => {
    n += 1;
    blocks.push(...actionAppendix(a, agreement[a.id], `A.${n}`));
  };
  for (const pr of delivery.priorities) {
    blocks.push(h(2, `${pr.code} ${pr.title}`));
    if (pr.actions.length === 0) blocks.push({ kind: "paragraph", style: "note", runs: [t("No actions under this priority yet.", { italic: true })] });
    pr.actions.forEach(actionBlocks);
  }
  const unassigned = delivery.actions.filter((a) => !delivery.priorities.some((pr) => pr.id === a.priorityId));
  if (unassigned.length) {
    blocks.push(h(2, "Actions under no priority of this plan"));
    unassigned.forEach(actionBlocks);
  }

  // Appendix B: sign-off trail.
  if (meta.signOffTrail) {
    blocks.push({ kind: "pagebreak" });
    blocks.push(h(1, "Appendix B. Partner sign-off trail"));
    blocks.push(p(t("Every sign-off and change of agreement, oldest first. The fingerprint identifies the exact words signed.")));
    if (meta.signOffTrail.length === 0) {
      blocks.push({ kind: "paragraph", style: "note", runs: [t("No partner has signed off an action of this plan yet.", { italic: true })] });
    } else {
      blocks.push({
        kind: "table",
        caption: "Sign-off trail",
        header: ["When", "Action", "Organisation and person", "What happened", "Fingerprint"],
        widths: [16, 30, 24, 18, 12],
        rows: meta.signOffTrail.map((r) => [
          [t(r.at.slice(0, 16).replace("T", " "))],
          [t(r.actionTitle)],
          [t([r.organisationName, r.personName].filter(Boolean).join(", ") || "—")],
          [t(r.description)],
          [t(r.fingerprint.slice(0, 12))],
        ]),
      });
    }
  }

  return {
    title,
    description: `${words.meeting} report: ${meta.planTitle}`,
    author: meta.preparedBy,
    header: `${meta.partnership} · ${words.meeting} · ${meta.planTitle} · ${words.classification}`,
    footer: `Status as at ${asAt}`,
    blocks,
  };
}

function actionAppendix(a: DeliveryAction, s: AgreementSummary | undefined, number: string): Block[] {
  const out: Block[] = [h(3, `${number} ${a.title}`)];
  out.push(p(b("Agreement: "), t(s ? AGREEMENT_LABEL[s.status] : "not recorded", { bold: true }), t(`. ${agreementSentence(s)}`)));
  if (s) {
    const agreedWords = s.status === "agreed" ? s.current : s.agreed;
    if (agreedWords) {
      out.push(p(b(s.status === "agreed" ? "Agreed wording:" : `Wording last agreed (version ${s.agreedVersion}):`)));
      if (agreedWords.title !== a.title) out.push({ kind: "paragraph", style: "quote", runs: [b(agreedWords.title)] });
      for (const para of agreedWords.paragraphs) out.push({ kind: "paragraph", style: "quote", runs: [t(para)] });
    }
    if (s.status !== "agreed") {
      out.push(p(b(`Current wording, not yet agreed (version ${s.version}):`)));
      for (const para of s.current.paragraphs) out.push({ kind: "paragraph", style: "quote", runs: [t(para)] });
      if (s.current.paragraphs.length === 0) out.push({ kind: "paragraph", style: "note", runs: [t("No description yet.", { italic: true })] });
    }
  }
  out.push(p(b("Owners: "), t(owners(a))));
  out.push(p(b("Status: "), ...ragCell(a), t(` (${directionText(a)})`)));
  if (a.rag.reasons.length) out.push({ kind: "bullets", items: a.rag.reasons.map((r) => [t(r.text)]) });
  if (a.kpis.length || a.recommendations.length) {
    const links = [...a.recommendations.map((r) => `recommendation ${r.code}`), ...a.kpis.map((k) => `KPI ${k.code} (${k.title})`)];
    out.push(p(b("Answers: "), t(links.join("; "))));
  }
  if (a.milestones.length) {
    out.push(p(b("Milestones:")));
    out.push({
      kind: "bullets",
      items: a.milestones.map((m) => [
        t(`${formatDate(m.dueDate)}: ${m.title} (${m.state === "done" ? `done ${formatDate(m.completedOn!)}` : m.state === "overdue" ? "overdue" : "due"})`),
      ]),
    });
  } else out.push(p(b("Milestones: "), t("none set")));
  if (a.latest) {
    out.push(
      p(
        b(`Latest update (${formatDate(a.latest.reportedOn)}, ${STATUS_LABEL[a.latest.status]}, ${a.latest.authorName}, ${a.latest.authorOrganisationName}): `),
        t(a.latest.narrative),
      ),
    );
    if (a.latest.mitigation) out.push(p(b("Mitigation: "), t(a.latest.mitigation)));
  } else out.push(p(b("Latest update: "), t("no update yet")));
  return out;
}
