/**
 * Long work on the event loop in slices: `await slice()` inside a loop gives other requests and
 * sockets a turn once the current stretch has run `budgetMs`, so that reading 2,000 documents for
 * one page never freezes the workspace for everyone else (the 100 ms stall limit).
 */
export function sliceEvery(budgetMs = 20): () => Promise<void> | undefined {
  let since = performance.now();
  return () => {
    if (performance.now() - since < budgetMs) return undefined;
    // Two hops: work continued from an I/O callback is still in the loop's poll phase, and one
    // setImmediate then runs in the same turn's check phase, before any timer or other socket.
    return new Promise<void>((resolve) =>
      setImmediate(() =>
        setImmediate(() => {
          since = performance.now();
          resolve();
        }),
      ),
    );
  };
}
