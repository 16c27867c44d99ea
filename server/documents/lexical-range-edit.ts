/**
 * Minimal server-side edits of a rich-text body: replace exactly one range of words, leaving
 * every other character (and every concurrent edit elsewhere) alone. Used to apply accepted
 * suggestions on the suggester's behalf.
 *
 * Like `lexical-content.ts`, nothing here hand-writes the Yjs structure: a throwaway headless
 * Lexical editor is bound through `@lexical/yjs` to a private scratch Y.Doc loaded with the
 * caller's state, the edit is made as a Lexical selection edit (what typing over a selection in
 * a browser does), and the resulting Yjs delta is applied to the caller's doc with one
 * `Y.applyUpdate`. The binding turns a text change into a diff of that text node (an insert and
 * a delete of the changed characters), so the Yjs update is as small as the edit.
 *
 * Offsets count characters of a top-level block's text as `readParagraphs` returns it (line
 * breaks "\n", tabs "\t"), so a range found in `readParagraphs(doc)[block]` maps onto the nodes.
 *
 * The session is headless-session.ts's, the one every server-side Lexical edit uses.
 */
import {
  $createRangeSelection,
  $getRoot,
  $isElementNode,
  $isTextNode,
  $setSelection,
  type ElementNode,
  type LexicalNode,
  type PointType,
} from "lexical";
import * as Y from "yjs";
import { loadState, openSession } from "./headless-session";
import { SERVER_CONTENT_ORIGIN, type LexicalNodes } from "./lexical-content";

export interface LexicalEditOptions {
  /** Extra node classes the browser editor registers (see lexical-content.ts). */
  nodes?: LexicalNodes;
  /** Yjs origin of the one transaction applied to the caller's doc. Default SERVER_CONTENT_ORIGIN. */
  origin?: unknown;
}

/**
 * Runs `edit` inside one Lexical update of a headless editor holding `doc`'s current content and
 * applies the resulting Yjs changes to `doc` in one transaction. Returns what `edit` returns.
 * If `edit` throws, `doc` is not touched.
 */
export function editWithLexical<T>(doc: Y.Doc, edit: () => T, options: LexicalEditOptions = {}): T {
  const session = openSession(options.nodes);
  try {
    loadState(session, doc);
    const before = Y.encodeStateVector(session.doc);
    let result!: T;
    let failure: unknown = null;
    session.editor.update(
      () => {
        try {
          result = edit();
        } catch (error) {
          failure = error;
        }
      },
      { discrete: true },
    );
    if (failure) throw failure;
    session.check();
    const delta = Y.encodeStateAsUpdate(session.doc, before);
    Y.applyUpdate(doc, delta, options.origin ?? SERVER_CONTENT_ORIGIN);
    return result;
  } finally {
    session.dispose();
  }
}

export interface QuotedRange {
  blockIndex: number;
  /** Character offsets in the block's text, end exclusive. */
  start: number;
  end: number;
  quote: string;
}

export type LocateFailure = "not-found" | "ambiguous";

/**
 * Where `quote` is in the text now. The remembered place wins if the quote is still exactly
 * there; otherwise the quote is looked for in its block, then in the whole text, and is taken
 * only if it occurs exactly once (so an edit earlier in the paragraph does not stop a
 * suggestion, but nothing is ever replaced at a guessed place).
 */
export function locateQuote(
  paragraphs: readonly string[],
  hint: { quote: string; blockIndex?: number | null; start?: number | null },
): QuotedRange | LocateFailure {
  const { quote } = hint;
  if (quote.length === 0) return "not-found";
  const b = hint.blockIndex;
  if (b != null && b >= 0 && b < paragraphs.length && hint.start != null) {
    if (paragraphs[b].slice(hint.start, hint.start + quote.length) === quote) {
      return { blockIndex: b, start: hint.start, end: hint.start + quote.length, quote };
    }
  }
  const within = (block: number) => occurrences(paragraphs[block], quote).map((start) => ({ block, start }));
  if (b != null && b >= 0 && b < paragraphs.length) {
    const here = within(b);
    if (here.length === 1) return { blockIndex: b, start: here[0].start, end: here[0].start + quote.length, quote };
  }
  const all = paragraphs.flatMap((_, i) => within(i));
  if (all.length === 1) return { blockIndex: all[0].block, start: all[0].start, end: all[0].start + quote.length, quote };
  return all.length === 0 ? "not-found" : "ambiguous";
}

function occurrences(text: string, quote: string): number[] {
  const found: number[] = [];
  for (let i = text.indexOf(quote); i !== -1; i = text.indexOf(quote, i + 1)) found.push(i);
  return found;
}

/** The quote was not at the range any more (the text moved on); nothing was changed. */
export class QuoteMovedError extends Error {
  constructor(readonly reason: LocateFailure) {
    super(reason === "ambiguous" ? "the quoted words now appear more than once" : "the quoted words are no longer in the text");
    this.name = "QuoteMovedError";
  }
}

/**
 * Replaces the quoted range (located again with `locateQuote`, inside the same edit, so nothing
 * can move in between) by `replacement`, as typing over a selection would: the new words take
 * the formatting of the first replaced character; text outside the range is untouched.
 * Throws QuoteMovedError, leaving `doc` unchanged, if the quote cannot be found unambiguously.
 * Returns where the replacement went.
 */
export function replaceQuotedRange(
  doc: Y.Doc,
  range: QuotedRange,
  replacement: string,
  options: LexicalEditOptions = {},
): QuotedRange {
  if (/[\r\n]/.test(replacement)) throw new Error("a replacement must not contain line breaks");
  return editWithLexical(
    doc,
    () => {
      const blocks = $getRoot().getChildren();
      const texts = blocks.map((block) => block.getTextContent());
      const found = locateQuote(texts, { quote: range.quote, blockIndex: range.blockIndex, start: range.start });
      if (typeof found === "string") throw new QuoteMovedError(found);
      const block = blocks[found.blockIndex];
      if (!$isElementNode(block)) throw new QuoteMovedError("not-found");
      const selection = $createRangeSelection();
      setPoint(selection.anchor, block, found.start, "start");
      setPoint(selection.focus, block, found.end, "end");
      $setSelection(selection);
      selection.insertText(replacement);
      $setSelection(null);
      return found;
    },
    options,
  );
}

/**
 * Points a selection point at a character offset of `block`'s text. Offsets inside or at the
 * edge of a text node become text points (a start at a node boundary prefers the following text
 * node, an end the preceding one, so the replacement joins the replaced words' node); an offset
 * next to a line break with no text node to anchor on becomes an element point before it.
 */
function setPoint(point: PointType, block: ElementNode, offset: number, side: "start" | "end"): void {
  const placed = placedLeavesOf(block);
  const texts = placed.filter((p) => $isTextNode(p.node));
  const strictly =
    side === "start"
      ? texts.find((p) => offset >= p.from && offset < p.to)
      : texts.find((p) => offset > p.from && offset <= p.to);
  const touching = strictly ?? texts.find((p) => offset >= p.from && offset <= p.to);
  if (touching) {
    point.set(touching.node.getKey(), offset - touching.from, "text");
    return;
  }
  // No text node here (an empty block, or next to line breaks only): an element point.
  const next = placed.find((p) => p.from >= offset);
  if (next) point.set(next.node.getParentOrThrow().getKey(), next.node.getIndexWithinParent(), "element");
  else point.set(block.getKey(), block.getChildrenSize(), "element");
}

/**
 * Leaves of a block in reading order (text, tabs, line breaks, inside links and list items too)
 * with their offsets in the block's text: a nested block (a list item) followed by a sibling
 * counts "\n\n", as `getTextContent` joins them, so offsets match `readParagraphs`.
 */
function placedLeavesOf(block: ElementNode): { node: LexicalNode; from: number; to: number }[] {
  const out: { node: LexicalNode; from: number; to: number }[] = [];
  let pos = 0;
  const walk = (element: ElementNode) => {
    const children = element.getChildren();
    children.forEach((child, i) => {
      if ($isElementNode(child)) {
        walk(child);
        if (!child.isInline() && i !== children.length - 1) pos += 2;
      } else {
        const from = pos;
        pos += child.getTextContentSize();
        out.push({ node: child, from, to: pos });
      }
    });
  };
  walk(block);
  return out;
}
