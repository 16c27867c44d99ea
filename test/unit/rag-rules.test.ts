import { describe, expect, it } from "vitest";
import { addDays, daysBetween, financialQuarter, isIsoDate } from "../../server/accountability/dates";
import { describeRule, direction, evaluateRag, type ActionFacts, type RagRuleData } from "../../server/accountability/rag";

/** The partnership's default rules, as rows (what migration 0004 inserts). */
const DEFAULT_RULES: RagRuleData[] = [
  { id: "rule-overdue-red", position: 1, colour: "red", kind: "milestone_overdue", days: 14, since_days: null, report_status: null, enabled: true },
  { id: "rule-off-track", position: 2, colour: "red", kind: "owner_reports", days: null, since_days: null, report_status: "off_track", enabled: true },
  { id: "rule-at-risk", position: 3, colour: "amber", kind: "owner_reports", days: null, since_days: null, report_status: "at_risk", enabled: true },
  { id: "rule-overdue-amber", position: 4, colour: "amber", kind: "milestone_overdue", days: 0, since_days: null, report_status: null, enabled: true },
  { id: "rule-due-soon-quiet", position: 5, colour: "amber", kind: "due_soon_without_update", days: 14, since_days: 30, report_status: null, enabled: true },
  { id: "rule-no-lead", position: 6, colour: "amber", kind: "no_lead", days: null, since_days: null, report_status: null, enabled: true },
  { id: "rule-stale", position: 7, colour: "amber", kind: "no_recent_update", days: 92, since_days: null, report_status: null, enabled: true },
];

const rules = (overrides: Partial<Record<string, Partial<RagRuleData>>> = {}) =>
  DEFAULT_RULES.map((r) => ({ ...r, ...(overrides[r.id] ?? {}) }));

function facts(over: Partial<ActionFacts> = {}): ActionFacts {
  return {
    createdOn: "2022-04-01",
    hasAcceptedLead: true,
    milestones: [{ title: "Business case approved", dueDate: "2022-09-30", completedOn: null }],
    updates: [{ status: "on_track", reportedOn: "2022-09-01" }],
    ...over,
  };
}

describe("calendar dates", () => {
  it("counts whole days, across the clock change and leap days", () => {
    expect(daysBetween("2022-03-26", "2022-03-28")).toBe(2); // BST starts 27 March 2022
    expect(daysBetween("2024-02-28", "2024-03-01")).toBe(2);
    expect(daysBetween("2022-10-01", "2022-09-30")).toBe(-1);
    expect(addDays("2022-12-31", 1)).toBe("2023-01-01");
    expect(isIsoDate("2023-02-29")).toBe(false);
    expect(isIsoDate("2024-02-29")).toBe(true);
    expect(isIsoDate("30/09/2022")).toBe(false);
  });

  it("places dates in UK financial quarters", () => {
    expect(financialQuarter("2022-06-30")).toMatchObject({ label: "Q1 2022-23", start: "2022-04-01", end: "2022-06-30" });
    expect(financialQuarter("2022-07-01").label).toBe("Q2 2022-23");
    expect(financialQuarter("2022-12-31")).toMatchObject({ label: "Q3 2022-23", end: "2022-12-31" });
    expect(financialQuarter("2023-03-31")).toMatchObject({ label: "Q4 2022-23", start: "2023-01-01", end: "2023-03-31" });
    expect(financialQuarter("2023-04-01").label).toBe("Q1 2023-24");
  });
});

describe("RAG from the partnership's rules", () => {
  it("is green when no rule matches", () => {
    expect(evaluateRag(rules(), facts(), "2022-09-10")).toEqual({ status: "green", reasons: [] });
  });

  describe("a milestone overdue: amber from the day after it was due, red after more than 14 days", () => {
    it.each([
      ["2022-09-30", "green"], // due today: not overdue
      ["2022-10-01", "amber"], // 1 day overdue (> 0)
      ["2022-10-14", "amber"], // 14 days overdue: not MORE than 14
      ["2022-10-15", "red"], // 15 days overdue
    ] as const)("on %s it is %s", (today, status) => {
      // An update inside the last 30 days keeps the "due soon, no update" rule quiet.
      expect(evaluateRag(rules(), facts({ updates: [{ status: "on_track", reportedOn: "2022-09-20" }] }), today).status).toBe(status);
    });

    it("names the milestone and how late it is, once (the amber rule adds nothing under the red one)", () => {
      const result = evaluateRag(rules(), facts({ updates: [{ status: "on_track", reportedOn: "2022-10-01" }] }), "2022-10-15");
      expect(result.reasons).toEqual([
        { ruleId: "rule-overdue-red", colour: "red", text: "“Business case approved” was due 30 Sep 2022: 15 days overdue." },
      ]);
    });

    it("stops counting a milestone completed on or before the day, not one completed after it", () => {
      const done = (completedOn: string) => facts({ milestones: [{ title: "M", dueDate: "2022-09-30", completedOn }], updates: [{ status: "on_track", reportedOn: "2022-10-10" }] });
      expect(evaluateRag(rules(), done("2022-10-20"), "2022-10-20").status).toBe("green");
      expect(evaluateRag(rules(), done("2022-10-21"), "2022-10-20").status).toBe("red"); // as at the 20th it was still open
    });
  });

  describe("the owner's latest update", () => {
    it("off track is red, at risk is amber; the latest dated on or before the day counts", () => {
      const updates = [
        { status: "on_track" as const, reportedOn: "2022-06-01" },
        { status: "at_risk" as const, reportedOn: "2022-07-01" },
        { status: "off_track" as const, reportedOn: "2022-08-01" },
      ];
      const f = facts({ milestones: [], updates });
      expect(evaluateRag(rules(), f, "2022-06-30").status).toBe("green");
      expect(evaluateRag(rules(), f, "2022-07-01").status).toBe("amber"); // the day it was reported
      expect(evaluateRag(rules(), f, "2022-07-31").status).toBe("amber");
      expect(evaluateRag(rules(), f, "2022-08-01")).toMatchObject({ status: "red", reasons: [{ ruleId: "rule-off-track", text: "The owner reported it off track on 1 Aug 2022." }] });
    });

    it("a later post on the same date corrects an earlier one", () => {
      const f = facts({ milestones: [], updates: [{ status: "off_track", reportedOn: "2022-08-01" }, { status: "on_track", reportedOn: "2022-08-01" }] });
      expect(evaluateRag(rules(), f, "2022-08-02").status).toBe("green");
    });
  });

  describe("a milestone due within 14 days with no update in the last 30 days", () => {
    const quiet = (lastUpdate: string | null) =>
      facts({ updates: lastUpdate ? [{ status: "on_track", reportedOn: lastUpdate }] : [] });
    it.each([
      ["2022-09-15", "2022-08-16", "green"], // 15 days before due: outside the window
      ["2022-09-16", "2022-08-16", "amber"], // 14 days before due, last update 31 days ago
      ["2022-09-16", "2022-08-17", "green"], // last update exactly 30 days ago still counts as recent
      ["2022-09-30", null, "amber"], // due today, never updated
    ] as const)("on %s with the last update on %s it is %s", (today, last, status) => {
      expect(evaluateRag(rules(), quiet(last), today).status).toBe(status);
    });
  });

  it("no accepted lead partner is amber", () => {
    const result = evaluateRag(rules(), facts({ hasAcceptedLead: false, milestones: [] }), "2022-09-10");
    expect(result).toEqual({ status: "amber", reasons: [{ ruleId: "rule-no-lead", colour: "amber", text: "No partner has accepted the lead for this action." }] });
  });

  it("no update for more than 92 days is amber, counting from the action's creation when there is none", () => {
    const f = facts({ milestones: [], updates: [], createdOn: "2022-04-01" });
    expect(evaluateRag(rules(), f, addDays("2022-04-01", 92)).status).toBe("green");
    expect(evaluateRag(rules(), f, addDays("2022-04-01", 93)).status).toBe("amber");
  });

  describe("rules are data: changing a row changes the status, no code involved", () => {
    const f = facts({ updates: [{ status: "on_track", reportedOn: "2022-10-01" }] });
    const onTheDay = "2022-10-08"; // 8 days overdue

    it("lowering the red threshold from 14 to 7 days turns the action red", () => {
      expect(evaluateRag(rules(), f, onTheDay).status).toBe("amber");
      expect(evaluateRag(rules({ "rule-overdue-red": { days: 7 } }), f, onTheDay).status).toBe("red");
      expect(evaluateRag(rules({ "rule-overdue-red": { days: 8 } }), f, onTheDay).status).toBe("amber");
    });

    it("switching a rule off removes it; recolouring it changes the colour", () => {
      expect(evaluateRag(rules({ "rule-overdue-amber": { enabled: false } }), f, onTheDay).status).toBe("green");
      expect(evaluateRag(rules({ "rule-overdue-amber": { colour: "red" } }), f, onTheDay).status).toBe("red");
    });

    it("a new row adds a new condition", () => {
      const extra: RagRuleData = { id: "rule-new", position: 8, colour: "red", kind: "owner_reports", days: null, since_days: null, report_status: "at_risk", enabled: true };
      const atRisk = facts({ milestones: [], updates: [{ status: "at_risk", reportedOn: "2022-10-01" }] });
      expect(evaluateRag(rules(), atRisk, "2022-10-02").status).toBe("amber");
      expect(evaluateRag([...rules(), extra], atRisk, "2022-10-02").status).toBe("red");
    });

    it("describes each rule in words from its data", () => {
      expect(DEFAULT_RULES.map(describeRule)).toEqual([
        "Red when a milestone is overdue by more than 14 days",
        "Red when the owner's latest update says off track",
        "Amber when the owner's latest update says at risk",
        "Amber when a milestone is overdue (past its due date and not complete)",
        "Amber when a milestone is due within 14 days and there has been no update in the last 30 days",
        "Amber when no partner has accepted the lead",
        "Amber when there has been no update for more than 92 days (an action whose milestones are all done is delivered, and exempt)",
      ]);
    });
  });

  it("direction of travel compares with the status at the last report", () => {
    expect(direction("green", "red")).toBe("improved");
    expect(direction("amber", "green")).toBe("worse");
    expect(direction("red", "red")).toBe("same");
    expect(direction("red", null)).toBe("new");
  });
});

describe("a delivered action", () => {
  it("is not stale: once every milestone is done, no update for months is not a reason for amber", async () => {
    const { evaluateRag: evaluate } = await import("../../server/accountability/rag");
    const rule = { id: "rule-stale", colour: "amber" as const, kind: "no_recent_update" as const, days: 92, since_days: null, report_status: null, enabled: true, position: 1 };
    const base = { createdOn: "2022-04-01", hasAcceptedLead: true, updates: [{ status: "on_track" as const, reportedOn: "2022-06-20" }] };
    const done = { ...base, milestones: [{ title: "Done", dueDate: "2022-06-30", completedOn: "2022-06-20" }] };
    const open = { ...base, milestones: [{ title: "Open", dueDate: "2027-06-30", completedOn: null }] };
    expect(evaluate([rule], done, "2026-12-01").status).toBe("green");
    expect(evaluate([rule], open, "2026-12-01").status).toBe("amber");
    // Not yet done as at the earlier date: the rule applies then.
    expect(evaluate([rule], { ...done, milestones: [{ ...done.milestones[0], completedOn: "2022-12-01" }] }, "2022-11-30").status).toBe("amber");
  });
});
