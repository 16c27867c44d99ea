/**
 * Rows grouped by a key, once, so that a page of 2,000 actions looks up each action's owners,
 * sign-offs and suggestions in a map instead of filtering every list per action (quadratic: at
 * 2,000 actions that alone took the plan loader about a second).
 */
export function groupBy<T, K>(rows: readonly T[], keyOf: (row: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return groups;
}

/** The group of `key`, or an empty list. */
export function groupOf<T, K>(groups: Map<K, T[]>, key: K): readonly T[] {
  return groups.get(key) ?? NONE;
}

const NONE: readonly never[] = Object.freeze([]);
