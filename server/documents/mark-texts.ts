/**
 * What each comment thread's words read now: the text under the marks carrying its id, blocks
 * joined by a blank line. One function for the server (the page's first render, from the stored or
 * live document) and the browser (the open editor, on every change a partner makes), so "The words
 * now read …" and "Detached" say the same in both. It imports only `lexical` and `@lexical/mark`;
 * call it inside an editor read.
 */
import { $isMarkNode } from "@lexical/mark";
import { $getRoot, $isElementNode, type LexicalNode } from "lexical";

/** Thread id -> its words; a thread whose marks are gone (or empty) is absent: detached. */
export function $readMarks(): Map<string, string> {
  const parts = new Map<string, { block: number; text: string }[]>();
  const visit = (node: LexicalNode, block: number) => {
    if ($isMarkNode(node)) {
      const text = node.getTextContent();
      if (text.length > 0) {
        for (const id of node.getIDs()) {
          const list = parts.get(id) ?? [];
          list.push({ block, text });
          parts.set(id, list);
        }
      }
    }
    if ($isElementNode(node)) for (const child of node.getChildren()) visit(child, block);
  };
  $getRoot()
    .getChildren()
    .forEach((block, index) => visit(block, index));
  return new Map(
    [...parts].map(([id, list]) => [
      id,
      list.map((p, i) => (i > 0 && list[i - 1].block !== p.block ? "\n\n" : "") + p.text).join(""),
    ]),
  );
}
