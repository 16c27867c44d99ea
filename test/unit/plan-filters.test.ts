import { describe, expect, it } from "vitest";
import {
  ACTIONS_PER_VIEW,
  filterQuery,
  limitShown,
  matchesFilters,
  parsePlanFilters,
  planActionHref,
  shownPriority,
  type FilterableAction,
} from "../../app/utils/plan-filters";

const q = (s: string) => parsePlanFilters(new URLSearchParams(s));
const action = (over: Partial<FilterableAction> = {}): FilterableAction => ({
  id: "a1",
  priorityId: "p1",
  rag: "green",
  agreement: "draft",
  partners: [{ organisationId: "council", role: "lead" }, { organisationId: "police", role: "support" }],
  needsMe: false,
  ...over,
});

describe("plan page filters", () => {
  it("opens on the first priority, and across priorities once something else narrows the list", () => {
    expect(shownPriority(q(""), ["p1", "p2"], null)).toBe("p1");
    expect(shownPriority(q("priority=p2"), ["p1", "p2"], null)).toBe("p2");
    expect(shownPriority(q("priority=all"), ["p1", "p2"], null)).toBeNull();
    expect(shownPriority(q("rag=red"), ["p1", "p2"], null)).toBeNull();
    // An unknown priority (an old link) falls back as if none was given.
    expect(shownPriority(q("priority=gone"), ["p1", "p2"], null)).toBe("p1");
    // A link to an action opens its priority.
    expect(shownPriority(q("action=a9"), ["p1", "p2"], "p2")).toBe("p2");
  });

  it("matches partner and role, RAG, agreement and 'needs my organisation'", () => {
    expect(matchesFilters(action(), q("partner=police"), null)).toBe(true);
    expect(matchesFilters(action(), q("partner=police&role=lead"), null)).toBe(false);
    expect(matchesFilters(action(), q("partner=police&role=support"), null)).toBe(true);
    expect(matchesFilters(action(), q("partner=college"), null)).toBe(false);
    expect(matchesFilters(action(), q("rag=red"), null)).toBe(false);
    expect(matchesFilters(action({ rag: "red" }), q("rag=red"), null)).toBe(true);
    expect(matchesFilters(action({ agreement: "changed" }), q("agreement=changed"), null)).toBe(true);
    expect(matchesFilters(action(), q("agreement=agreed"), null)).toBe(false);
    expect(matchesFilters(action(), q("mine=1"), null)).toBe(false);
    expect(matchesFilters(action({ needsMe: true }), q("mine=1"), null)).toBe(true);
    expect(matchesFilters(action(), q(""), "p2")).toBe(false);
    // The action a link points at is shown whatever the filters say.
    expect(matchesFilters(action(), q("action=a1&rag=red"), "p2")).toBe(true);
  });

  it("ignores values it does not know rather than failing the page", () => {
    expect(q("rag=purple&agreement=maybe&role=boss&mine=yes")).toMatchObject({ rag: "", agreement: "", role: "either", mine: false });
  });

  it("writes short, shareable addresses", () => {
    expect(filterQuery({ priority: "p1" })).toBe("?priority=p1");
    expect(filterQuery({ partner: "police", role: "either", rag: "red", mine: true })).toBe("?partner=police&rag=red&mine=1");
    expect(filterQuery({})).toBe("");
    expect(planActionHref("lets-do-it", "act-1")).toBe("/plans/lets-do-it?action=act-1#action-act-1");
  });

  it("holds a view's worth of a long list, always the action it lands on, and says how many are left", () => {
    const ids = Array.from({ length: 154 }, (_, i) => `a${i}`);
    expect(ACTIONS_PER_VIEW).toBe(50);
    const first = limitShown(ids, q(""));
    expect(first.shown).toEqual(ids.slice(0, 50));
    expect(first.more).toBe(104);
    expect(limitShown(ids, q("show=100")).shown).toHaveLength(100);
    expect(limitShown(ids, q("show=500"))).toEqual({ shown: ids, more: 0 });
    // Landing on the 120th action holds every action up to it, in steps of 50.
    const landed = limitShown(ids, q("action=a119"));
    expect(landed.shown).toHaveLength(150);
    expect(landed.more).toBe(4);
    // Nonsense counts fall back to the default rather than refusing the link.
    expect(limitShown(ids, q("show=-3")).shown).toHaveLength(50);
    expect(limitShown(ids, q("show=abc")).shown).toHaveLength(50);
    expect(filterQuery({ priority: "p1", show: 100 })).toBe("?priority=p1&show=100");
    expect(filterQuery({ priority: "p1", show: 50 })).toBe("?priority=p1");
  });
});
