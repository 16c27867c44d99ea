/**
 * Where a comment sits in a Lexical document, in terms both sides agree on: a top-level block index
 * and an offset into that block's text content (UTF-16 code units of `block.getTextContent()`).
 *
 * Shared by the server (lexical-content.ts wraps the range in a MarkNode) and the browser editor
 * (which turns the reader's selection into such a range). It only imports `lexical`, so it runs in
 * both. All `$` functions must run inside an editor read or update, as Lexical's own `$` functions do.
 *
 * The walk mirrors `ElementNode.getTextContent()`: leaves contribute their text (a line break "\n",
 * a tab "\t"), and a non-inline element followed by a sibling contributes "\n\n". So an offset
 * computed here indexes the same string `readParagraphs` returns for that block.
 */
import {
  $getRoot,
  $isElementNode,
  $isTextNode,
  type ElementNode,
  type LexicalNode,
  type PointType,
  type TextNode,
} from "lexical";

export interface TextPoint {
  block: number;
  offset: number;
}

export interface TextRange {
  start: TextPoint;
  end: TextPoint;
}

export function compareTextPoints(a: TextPoint, b: TextPoint): number {
  return a.block - b.block || a.offset - b.offset;
}

/** The text a range covers in the given block texts (blocks joined by "\n\n"), or null when it is out of bounds. */
export function textOfRange(blocks: readonly string[], range: TextRange): string | null {
  const { start, end } = range;
  if (compareTextPoints(start, end) > 0) return null;
  for (const p of [start, end]) {
    if (!Number.isInteger(p.block) || !Number.isInteger(p.offset)) return null;
    if (p.block < 0 || p.block >= blocks.length) return null;
    if (p.offset < 0 || p.offset > blocks[p.block].length) return null;
  }
  if (start.block === end.block) return blocks[start.block].slice(start.offset, end.offset);
  const parts = [blocks[start.block].slice(start.offset)];
  for (let b = start.block + 1; b < end.block; b++) parts.push(blocks[b]);
  parts.push(blocks[end.block].slice(0, end.offset));
  return parts.join("\n\n");
}

/** Every place `quote` occurs inside one block (overlapping occurrences included). */
export function findQuote(blocks: readonly string[], quote: string): TextRange[] {
  const found: TextRange[] = [];
  if (quote.length === 0) return found;
  blocks.forEach((text, block) => {
    for (let at = text.indexOf(quote); at !== -1; at = text.indexOf(quote, at + 1)) {
      found.push({ start: { block, offset: at }, end: { block, offset: at + quote.length } });
    }
  });
  return found;
}

interface Leaf {
  node: LexicalNode;
  start: number;
  size: number;
}

/** Leaves of a block in document order with their start offsets, and where each element begins. */
function $layout(block: ElementNode): { leaves: Leaf[]; elementStarts: Map<string, number>; size: number } {
  const leaves: Leaf[] = [];
  const elementStarts = new Map<string, number>();
  let pos = 0;
  const walk = (element: ElementNode) => {
    elementStarts.set(element.getKey(), pos);
    const children = element.getChildren();
    children.forEach((child, i) => {
      if ($isElementNode(child)) {
        walk(child);
        if (!child.isInline() && i !== children.length - 1) pos += 2;
      } else {
        const size = child.getTextContentSize();
        leaves.push({ node: child, start: pos, size });
        pos += size;
      }
    });
  };
  walk(block);
  return { leaves, elementStarts, size: pos };
}

/** The block texts of the current editor state, as `readParagraphs` reads them. */
export function $blockTexts(): string[] {
  return $getRoot()
    .getChildren()
    .map((block) => block.getTextContent());
}

/** A Lexical selection point as a TextPoint, or null when it is not inside a top-level block. */
export function $pointToTextPoint(point: Pick<PointType, "key" | "offset" | "type" | "getNode">): TextPoint | null {
  const node = point.getNode();
  const block = node.getTopLevelElement();
  if (!$isElementNode(block)) {
    // The root itself (element point between blocks): the start of the block at that index.
    if ($isElementNode(node) && node.getParent() === null) {
      const count = node.getChildrenSize();
      if (count === 0) return null;
      return point.offset < count
        ? { block: point.offset, offset: 0 }
        : { block: count - 1, offset: node.getChildAtIndex(count - 1)!.getTextContentSize() };
    }
    return null;
  }
  const layout = $layout(block);
  const blockIndex = block.getIndexWithinParent();
  if (point.type === "text") {
    const leaf = layout.leaves.find((l) => l.node.getKey() === node.getKey());
    if (!leaf) return null;
    return { block: blockIndex, offset: leaf.start + Math.min(point.offset, leaf.size) };
  }
  if (!$isElementNode(node)) return null;
  // Element point: before child `offset` of `node`.
  const children = node.getChildren();
  if (point.offset >= children.length) {
    const last = children.at(-1);
    if (!last) return { block: blockIndex, offset: layout.elementStarts.get(node.getKey()) ?? 0 };
    return { block: blockIndex, offset: $endOf(last, layout) };
  }
  return { block: blockIndex, offset: $startOf(children[point.offset], layout) };
}

function $startOf(node: LexicalNode, layout: ReturnType<typeof $layout>): number {
  if ($isElementNode(node)) return layout.elementStarts.get(node.getKey()) ?? 0;
  return layout.leaves.find((l) => l.node.getKey() === node.getKey())?.start ?? 0;
}

function $endOf(node: LexicalNode, layout: ReturnType<typeof $layout>): number {
  if ($isElementNode(node)) {
    const last = node.getLastDescendant();
    return last ? $endOf(last, layout) : (layout.elementStarts.get(node.getKey()) ?? 0);
  }
  const leaf = layout.leaves.find((l) => l.node.getKey() === node.getKey());
  return leaf ? leaf.start + leaf.size : 0;
}

/**
 * The Lexical point for a TextPoint. At a boundary between two leaves, a range's start goes to the
 * beginning of the next text node and its end to the end of the previous one, so wrapping the range
 * does not pull in a neighbour. Null when the block does not exist or the offset is out of range.
 */
export function $textPointToPoint(
  p: TextPoint,
  side: "start" | "end",
): { key: string; offset: number; type: "text" | "element" } | null {
  const block = $getRoot().getChildAtIndex(p.block);
  if (!$isElementNode(block)) return null;
  const layout = $layout(block);
  if (p.offset < 0 || p.offset > layout.size) return null;
  const texts = layout.leaves.filter((l): l is Leaf & { node: TextNode } => $isTextNode(l.node));
  const at = (l: Leaf & { node: TextNode }, offset: number) => ({ key: l.node.getKey(), offset, type: "text" as const });
  if (side === "start") {
    const inside = texts.find((l) => p.offset >= l.start && p.offset < l.start + l.size);
    if (inside) return at(inside, p.offset - inside.start);
    const endingHere = [...texts].reverse().find((l) => p.offset === l.start + l.size);
    if (endingHere) return at(endingHere, endingHere.size);
  } else {
    const inside = texts.find((l) => p.offset > l.start && p.offset <= l.start + l.size);
    if (inside) return at(inside, p.offset - inside.start);
    const startingHere = texts.find((l) => p.offset === l.start);
    if (startingHere) return at(startingHere, 0);
  }
  // No text at all here (an empty block): the block itself.
  return { key: block.getKey(), offset: side === "start" ? 0 : block.getChildrenSize(), type: "element" };
}
