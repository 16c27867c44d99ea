/** Where notifications point: the same addresses the pages link to (see app/utils/plan-filters.ts). */
export function planActionHref(planId: string, actionId: string): string {
  return `/plans/${encodeURIComponent(planId)}?action=${encodeURIComponent(actionId)}#action-${actionId}`;
}

export function proposalHref(planId: string, anchor?: string): string {
  return `/proposals/${encodeURIComponent(planId)}${anchor ? `#${anchor}` : ""}`;
}

/** Where an older notification row (no stored link) points. */
export function legacyHref(n: { plan_id: string; plan_kind: string; thread_id: string | null }): string {
  const base = n.plan_kind === "engagement_proposal" ? proposalHref(n.plan_id) : `/plans/${encodeURIComponent(n.plan_id)}`;
  return n.thread_id ? `${base}#thread-${encodeURIComponent(n.thread_id)}` : base;
}
