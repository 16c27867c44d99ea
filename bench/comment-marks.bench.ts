// How long the server takes to anchor a comment (wrap the selected words in a MarkNode and compute
// the Yjs update), how big that update is next to the whole document, and how long reading every
// thread's anchor takes (what a proposal page load does per document). Prints medians; asserts nothing.
import * as Y from "yjs";
import { addMark, initialContentUpdate, markRangeUpdate, readMarks } from "../server/documents/lexical-content";
import { findQuote } from "../server/documents/text-anchors";

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function paragraphs(n: number): string[] {
  return Array.from(
    { length: n },
    (_, i) =>
      `Paragraph ${i + 1}: how far the Council and partners are willing to share space and power in the plan, do and review stages, item ${i + 1}.`,
  );
}

const runs = 15;
console.log("paragraphs | anchor a comment (median ms) | update bytes | whole doc bytes | ratio | read 20 anchors (median ms)");
for (const n of [10, 100, 500]) {
  const text = paragraphs(n);
  const base = new Y.Doc();
  Y.applyUpdate(base, initialContentUpdate(text));
  const [range] = findQuote(text, `share space and power in the plan, do and review stages, item ${Math.ceil(n / 2)}.`);
  const times: number[] = [];
  let bytes = 0;
  for (let r = 0; r < runs; r++) {
    const started = performance.now();
    const update = markRangeUpdate(base, range, `thr-bench-${r}`);
    times.push(performance.now() - started);
    bytes = update.byteLength;
  }
  // A document carrying 20 threads, as a busy proposal would.
  const marked = new Y.Doc();
  Y.applyUpdate(marked, Y.encodeStateAsUpdate(base));
  for (let t = 0; t < 20; t++) {
    const [r] = findQuote(text, `item ${Math.floor((t * n) / 20) + 1}.`);
    addMark(marked, r, `thr-${t}`);
  }
  const reads: number[] = [];
  for (let r = 0; r < runs; r++) {
    const started = performance.now();
    readMarks(marked);
    reads.push(performance.now() - started);
  }
  const whole = Y.encodeStateAsUpdate(base).byteLength;
  console.log(
    `${String(n).padStart(10)} | ${median(times).toFixed(1).padStart(27)} | ${String(bytes).padStart(12)} | ${String(whole).padStart(15)} | ${(bytes / whole).toFixed(4).padStart(5)} | ${median(reads).toFixed(1).padStart(27)}`,
  );
}
