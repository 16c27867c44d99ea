/**
 * Which actions the plan page shows (issue 14). A plan of 80 actions on one page was 49,000 px
 * tall; the page now opens on one priority and narrows further by what a partner asks. The
 * filters are the URL's query, so a view can be shared, bookmarked and left with the back button,
 * and a GET form sets them without JavaScript. Pure: the loader and the unit tests share it.
 */

export type RagFilter = "red" | "amber" | "green";
export type AgreementFilter = "draft" | "proposed" | "agreed" | "changed";
export type PartnerRoleFilter = "either" | "lead" | "support";

export interface PlanFilters {
  /** A priority id, "all", or "" (the page's default: the first priority, unless other filters are set). */
  priority: string;
  partner: string;
  role: PartnerRoleFilter;
  rag: RagFilter | "";
  agreement: AgreementFilter | "";
  mine: boolean;
  /** An action to land on: its priority is shown, and it is shown whatever the other filters say. */
  action: string;
  /** How many of the matching actions the page holds (a priority of 2,000 actions is not one page). */
  show: number;
}

/** Actions a view holds at first, and how many more each "Show more" adds. */
export const ACTIONS_PER_VIEW = 50;
const MOST_SHOWN = 100_000;

const RAGS: readonly string[] = ["red", "amber", "green"];
const AGREEMENTS: readonly string[] = ["draft", "proposed", "agreed", "changed"];
const ROLES: readonly string[] = ["either", "lead", "support"];

/** Unknown values are ignored rather than refused: an old or hand-edited link still opens the plan. */
export function parsePlanFilters(search: URLSearchParams): PlanFilters {
  const get = (name: string) => (search.get(name) ?? "").trim().slice(0, 200);
  const rag = get("rag");
  const agreement = get("agreement");
  const role = get("role");
  return {
    priority: get("priority"),
    partner: get("partner"),
    role: ROLES.includes(role) ? (role as PartnerRoleFilter) : "either",
    rag: RAGS.includes(rag) ? (rag as RagFilter) : "",
    agreement: AGREEMENTS.includes(agreement) ? (agreement as AgreementFilter) : "",
    mine: get("mine") === "1",
    action: get("action"),
    show: shownCount(get("show")),
  };
}

function shownCount(value: string): number {
  const n = /^\d{1,6}$/.test(value) ? Number(value) : 0;
  return n >= 1 ? Math.min(n, MOST_SHOWN) : ACTIONS_PER_VIEW;
}

/**
 * The matching actions a view holds, in the page's order: the first `show`, and always the action
 * it lands on (the view then holds every action up to it, in steps of ACTIONS_PER_VIEW).
 */
export function limitShown(matching: readonly string[], f: PlanFilters): { shown: string[]; more: number } {
  let limit = f.show;
  const at = f.action ? matching.indexOf(f.action) : -1;
  if (at >= limit) limit = Math.ceil((at + 1) / ACTIONS_PER_VIEW) * ACTIONS_PER_VIEW;
  const shown = matching.slice(0, limit);
  return { shown, more: matching.length - shown.length };
}

/** True when something other than the priority narrows the list. */
export function narrowsActions(f: PlanFilters): boolean {
  return Boolean(f.partner || f.rag || f.agreement || f.mine);
}

export interface FilterableAction {
  id: string;
  priorityId: string | null;
  rag: RagFilter;
  agreement: AgreementFilter;
  /** Accepted partners only: a pending request is not yet a partner. */
  partners: { organisationId: string; role: "lead" | "support" }[];
  needsMe: boolean;
}

/** The priority the page shows: an id, or null for every priority. */
export function shownPriority(f: PlanFilters, priorityIds: readonly string[], focusedPriority: string | null): string | null {
  if (f.priority === "all") return null;
  if (f.priority && priorityIds.includes(f.priority)) return f.priority;
  if (f.action && focusedPriority) return focusedPriority;
  if (narrowsActions(f)) return null;
  return priorityIds[0] ?? null;
}

export function matchesFilters(a: FilterableAction, f: PlanFilters, priority: string | null): boolean {
  if (f.action && a.id === f.action) return true;
  if (priority !== null && a.priorityId !== priority) return false;
  if (f.rag && a.rag !== f.rag) return false;
  if (f.agreement && a.agreement !== f.agreement) return false;
  if (f.mine && !a.needsMe) return false;
  if (f.partner) {
    const roles = a.partners.filter((p) => p.organisationId === f.partner).map((p) => p.role);
    if (f.role === "either" ? roles.length === 0 : !roles.includes(f.role)) return false;
  }
  return true;
}

/** The query string for a view, leaving out defaults so links stay short. */
export function filterQuery(f: Partial<PlanFilters>): string {
  const q = new URLSearchParams();
  if (f.priority) q.set("priority", f.priority);
  if (f.partner) q.set("partner", f.partner);
  if (f.partner && f.role && f.role !== "either") q.set("role", f.role);
  if (f.rag) q.set("rag", f.rag);
  if (f.agreement) q.set("agreement", f.agreement);
  if (f.mine) q.set("mine", "1");
  if (f.action) q.set("action", f.action);
  if (f.show && f.show !== ACTIONS_PER_VIEW) q.set("show", String(f.show));
  const s = q.toString();
  return s ? `?${s}` : "";
}

/** Where other pages link to an action's card on its plan page: the view that holds it, then the card. */
export function planActionHref(planId: string, actionId: string): string {
  return `/plans/${encodeURIComponent(planId)}?action=${encodeURIComponent(actionId)}#action-${actionId}`;
}

export function planPriorityHref(planId: string, priorityId: string): string {
  return `/plans/${encodeURIComponent(planId)}?priority=${encodeURIComponent(priorityId)}#priority-${priorityId}`;
}
