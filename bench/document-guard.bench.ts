// What the sync server's document shape check (server/documents/lexical-shape.ts) costs per client
// update, in a small and in a large document: typing one character into a paragraph (touches that
// paragraph) and adding a paragraph (touches the root, so it reads every block's type). Measured
// the way the room runs it: inside the Yjs transaction, after the update is integrated. Prints
// medians and p99 in microseconds; asserts nothing.
import * as Y from "yjs";
import { initialContentUpdate } from "../server/documents/lexical-content";
import { lexicalDocumentGuard } from "../server/documents/lexical-shape";

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))];
}

const sentence = "How far the Council and partners are willing to share space and power in the plan stages.";
const runs = 400;

function blocks(doc: Y.Doc): Y.XmlText[] {
  return (doc.get("root", Y.XmlText).toDelta() as { insert: unknown }[]).map((d) => d.insert as Y.XmlText);
}

console.log("paragraphs | characters | nodes | type a character: median / p99 µs | add a paragraph: median / p99 µs | apply alone (median µs)");
for (const n of [10, 200, 2000]) {
  const server = new Y.Doc();
  Y.applyUpdate(server, initialContentUpdate(Array.from({ length: n }, (_, i) => `${i + 1}. ${sentence}`)));
  const client = new Y.Doc();
  Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
  const tally = lexicalDocumentGuard.measure(server);
  const initial = { ...tally };
  const measure = (edit: () => void) => {
    const checks: number[] = [];
    const applies: number[] = [];
    for (let r = 0; r < runs; r++) {
      const before = Y.encodeStateVector(client);
      edit();
      const update = Y.encodeStateAsUpdate(client, before);
      Y.transact(server, (tr) => {
        const a = performance.now();
        Y.applyUpdate(server, update);
        const b = performance.now();
        const problem = lexicalDocumentGuard.check(server, tr, tally);
        const c = performance.now();
        if (problem) throw new Error(problem);
        applies.push((b - a) * 1000);
        checks.push((c - b) * 1000);
      });
    }
    return { median: quantile(checks, 0.5), p99: quantile(checks, 0.99), apply: quantile(applies, 0.5) };
  };
  const middle = blocks(client)[Math.floor(n / 2)];
  // A text leaf's characters follow its map: inserting at offset 2 types inside the first text node.
  const typing = measure(() => middle.insert(2, "x"));
  const adding = measure(() => {
    const root = client.get("root", Y.XmlText) as Y.XmlText;
    client.transact(() => {
      const p = new Y.XmlText();
      root.insertEmbed(root.length, p);
      p.setAttribute("__type", "paragraph");
      const t = new Y.Map<unknown>();
      p.insertEmbed(0, t);
      t.set("__type", "text");
      p.insert(1, "A new paragraph.");
    });
  });
  console.log(
    `${n} | ${initial.text} | ${initial.nodes} | ${typing.median.toFixed(1)} / ${typing.p99.toFixed(1)} | ${adding.median.toFixed(1)} / ${adding.p99.toFixed(1)} | ${typing.apply.toFixed(1)}`,
  );
}
