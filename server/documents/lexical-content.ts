/**
 * Server-side access to the rich-text bodies (an action's description, a plan's overview, ...).
 *
 * Each body is a Y.Doc edited in browsers by Lexical's classic (v1) `CollaborationPlugin`
 * (`@lexical/react/LexicalCollaborationPlugin`): the Lexical tree lives in `doc.get('root', Y.XmlText)`.
 * Browsers mount it with `shouldBootstrap={false}`, so the server writes the initial content.
 *
 * Nothing here hand-writes or hand-parses that XmlText. Every operation runs a throwaway *headless*
 * Lexical editor bound through `@lexical/yjs` exactly as the React plugin binds a browser editor
 * (same `createBinding`, same `observeDeep` -> `syncYjsChangesToLexical`, same update listener ->
 * `syncLexicalUpdateToYjs`, same origin checks), following Lexical's documented headless
 * collaboration recipe (`withHeadlessCollaborationEditor` in the Lexical collaboration FAQ). So the
 * Yjs structure we write is the structure a browser would write, and we read what a browser would
 * render.
 *
 * The bound editor always works on a private scratch Y.Doc, never on the caller's doc:
 *  - reading loads `encodeStateAsUpdate(doc)` into the scratch doc, so a read can never mutate the
 *    caller's doc (Lexical's binding may write normalisation fixes while loading);
 *  - writing (`replaceContent`) makes the Lexical edit on the scratch doc and applies the resulting
 *    delta to the caller's doc with one `Y.applyUpdate`, i.e. in a single Yjs transaction whose
 *    origin is documented below.
 *
 * Node only: no DOM is used (`@lexical/headless`' main entry does not load happy-dom).
 *
 * Lexical versions: `lexical`, `@lexical/yjs`, `@lexical/headless` and `@lexical/react` must stay on the
 * same exact version (0.52.0) so that server and browsers run the same binding code.
 */
import { $isLinkNode } from "@lexical/link";
import { $isListItemNode, $isListNode, type ListNode } from "@lexical/list";
import { $isMarkNode, $wrapSelectionInMarkNode } from "@lexical/mark";
import {
  $createLineBreakNode,
  $createParagraphNode,
  $createRangeSelection,
  $createTabNode,
  $createTextNode,
  $getRoot,
  $isElementNode,
  $parseSerializedNode,
  HISTORY_MERGE_TAG,
  type Klass,
  type LexicalNode,
  type LexicalNodeReplacement,
  type ParagraphNode,
  type SerializedElementNode,
  type SerializedLexicalNode,
  type SerializedTextNode,
} from "lexical";
import * as Y from "yjs";
import { DomainError } from "../domain/errors";
import { loadState, noop, openSession, type HeadlessSession } from "./headless-session";
import { documentShapeProblem } from "./lexical-shape";
import { UNREADABLE_NOTICE } from "./unreadable-notice";
import { $readMarks } from "./mark-texts";
import { $blockTexts, $textPointToPoint, compareTextPoints, textOfRange, type TextRange } from "./text-anchors";

/** Lexical node classes (or replacements) to register, beyond the core ones Lexical always has. */
export type LexicalNodes = ReadonlyArray<Klass<LexicalNode> | LexicalNodeReplacement>;

export interface LexicalContentOptions {
  /**
   * Extra node types beyond the editor's own (editor-nodes.ts), which every session registers.
   * A document containing a node type that is not registered cannot be read.
   */
  nodes?: LexicalNodes;
}

export interface ReplaceContentOptions extends LexicalContentOptions {
  /** Yjs transaction origin for the change applied to the caller's doc. Default: {@link SERVER_CONTENT_ORIGIN}. */
  origin?: unknown;
}

/**
 * Default origin of the single transaction `replaceContent` makes on the caller's doc. It is a plain
 * string, so it equals no websocket connection and no Lexical binding: a sync room broadcasting
 * `doc.on('update', (update, origin) => ...)` to every connection except `origin` sends it to all
 * clients, and browsers' bindings treat it as a remote change (their `origin !== binding` check) and
 * render it; browsers' Yjs UndoManagers only track their own binding's origin, so users cannot undo it.
 */
export const SERVER_CONTENT_ORIGIN = "lexical-content:server";

export { UNREADABLE_NOTICE };

/** A reader that cannot go on without the text (a comment anchor, a suggestion, a sign-off). */
export class UnreadableDocumentError extends DomainError {
  constructor(readonly reason: string) {
    super(409, UNREADABLE_NOTICE);
    this.name = "UnreadableDocumentError";
  }
}

/** A document as the editor reads it, or why it cannot: every server-side reader goes through this. */
export type DocumentContent =
  | {
      readable: true;
      /** Each top-level block's text (a list is one block, its items joined by "\n\n"): what anchors index. */
      paragraphs: string[];
      /** The words as a reader meets them: see {@link $readLines}. Agreement, reports, CSV and search use these. */
      lines: string[];
      /** The blocks as Lexical serialises them, comment marks unwrapped: what a version restores. */
      structure: SerializedLexicalNode[];
    }
  | { readable: false; reason: string };

const LIST_INDENT = "  ";

/**
 * The document as lines of words, one per paragraph, heading and list item: a bulleted item reads
 * "• item", a numbered one "3. item", nested items are indented two spaces a level, and a link
 * whose words are not its address reads "words (address)". A document without lists or links
 * reads exactly as its paragraphs, so fingerprints of texts agreed before lists existed do not move.
 */
export function $readLines(): string[] {
  const lines: string[] = [];
  const inline = (node: LexicalNode): string => {
    if ($isLinkNode(node)) {
      const words = node.getChildren().map(inline).join("");
      const url = node.getURL();
      return url && url !== words ? `${words} (${url})` : words;
    }
    if ($isElementNode(node)) return node.getChildren().map(inline).join("");
    return node.getTextContent();
  };
  const list = (node: ListNode, depth: number) => {
    let number = node.getStart();
    for (const item of node.getChildren()) {
      if (!$isListItemNode(item)) continue;
      const nested = item.getChildren().filter($isListNode);
      const words = item
        .getChildren()
        .filter((c) => !$isListNode(c))
        .map(inline)
        .join("");
      if (nested.length === 0 || words.length > 0) {
        const marker = node.getListType() === "number" ? `${number}. ` : node.getListType() === "check" ? (item.getChecked() ? "☑ " : "☐ ") : "• ";
        lines.push(LIST_INDENT.repeat(depth) + marker + words);
        number += 1;
      }
      for (const n of nested) list(n, depth + 1);
    }
  };
  for (const block of $getRoot().getChildren()) {
    if ($isListNode(block)) list(block, 0);
    else lines.push(inline(block));
  }
  return lines;
}

/** A serialised node with comment marks replaced by what they hold (threads are not versioned). */
function withoutMarks(node: SerializedLexicalNode): SerializedLexicalNode[] {
  const children = (node as SerializedElementNode).children;
  if (!Array.isArray(children)) return [node];
  const kept = children.flatMap(withoutMarks);
  return node.type === "mark" ? kept : [{ ...node, children: mergeTexts(kept) } as SerializedElementNode];
}

/** Neighbouring text nodes alike but for their words are one (as Lexical normalises them once a mark is gone). */
function mergeTexts(nodes: SerializedLexicalNode[]): SerializedLexicalNode[] {
  const out: SerializedLexicalNode[] = [];
  for (const node of nodes) {
    const last = out.at(-1) as SerializedTextNode | undefined;
    const next = node as SerializedTextNode;
    const alike = (a: SerializedTextNode, b: SerializedTextNode) =>
      a.type === "text" && b.type === "text" && a.format === b.format && a.style === b.style && a.mode === "normal" && b.mode === "normal" && a.detail === b.detail;
    if (last && alike(last, next)) out[out.length - 1] = { ...last, text: last.text + next.text } as SerializedTextNode;
    else out.push(node);
  }
  return out;
}

function $readStructure(): SerializedLexicalNode[] {
  return $getRoot()
    .getChildren()
    .flatMap((block) => withoutMarks($exportNode(block)));
}

/** A node and its descendants as Lexical serialises them (exportJSON, children included). */
function $exportNode(node: LexicalNode): SerializedLexicalNode {
  const json = node.exportJSON();
  if ($isElementNode(node)) (json as SerializedElementNode).children = node.getChildren().map($exportNode);
  return json;
}

/**
 * Build one ParagraphNode per string. A paragraph's text becomes one TextNode; a "\n" inside it
 * becomes a LineBreakNode and a "\t" a TabNode, as Lexical's own text insertion does, so the text
 * reads back unchanged. An empty string is an empty paragraph (Lexical normalises away empty
 * TextNodes anyway).
 */
function $createParagraphs(paragraphs: readonly string[]): ParagraphNode[] {
  const texts = paragraphs.length === 0 ? [""] : paragraphs;
  return texts.map((text) => {
    const paragraph = $createParagraphNode();
    for (const part of text.split(/(\r\n|\n|\r|\t)/)) {
      if (part === "") continue;
      if (part === "\t") paragraph.append($createTabNode());
      else if (part === "\n" || part === "\r\n" || part === "\r") paragraph.append($createLineBreakNode());
      else paragraph.append($createTextNode(part));
    }
    return paragraph;
  });
}

/** Replace every top-level block of the bound editor with the given paragraphs, committing synchronously. */
function writeParagraphs(session: HeadlessSession, paragraphs: readonly string[]): void {
  session.editor.update(
    () => {
      const root = $getRoot();
      root.clear();
      root.append(...$createParagraphs(paragraphs));
    },
    // HISTORY_MERGE_TAG: what the React plugin tags its own bootstrap with; it only affects local
    // history (there is none here) and is ignored by the Yjs binding.
    { discrete: true, tag: HISTORY_MERGE_TAG },
  );
  session.check();
}

/**
 * A Yjs update that, applied to an empty Y.Doc, yields a Lexical document with one ParagraphNode per
 * string (one TextNode each; an empty array gives one empty paragraph). It is produced by a headless
 * Lexical editor through the `@lexical/yjs` binding, i.e. the same operations a browser's
 * CollaborationPlugin would make when bootstrapping that content.
 *
 * Apply it exactly once per document, when the document is created (applying the same bytes again is
 * a no-op; two *different* calls produce different updates, since each uses a fresh Yjs client id,
 * and applying both would give both sets of paragraphs).
 */
export function initialContentUpdate(paragraphs: string[]): Uint8Array {
  const session = openSession();
  try {
    writeParagraphs(session, paragraphs);
    return Y.encodeStateAsUpdate(session.doc);
  } finally {
    session.dispose();
  }
}

/**
 * The text content of each top-level block, read through a headless Lexical editor bound to a copy of
 * the doc (the doc itself is not modified). Inside a block, line breaks read as "\n" and tabs as "\t";
 * nested blocks (e.g. list items, if their node types are registered via `options.nodes`) are joined
 * with "\n\n" as Lexical's `getTextContent` does. A doc with no content at all gives `[]`.
 */
export function readParagraphs(doc: Y.Doc, options: LexicalContentOptions = {}): string[] {
  const content = readContent(doc, options);
  if (!content.readable) throw new UnreadableDocumentError(content.reason);
  return content.paragraphs;
}

/**
 * The safe reading: the document's shape is checked first (lexical-shape.ts: the rules the sync
 * server enforces on every update, so a document stored before they existed is caught here), then
 * it is read through a headless editor; any failure is a result, never a throw.
 */
export function readContent(doc: Y.Doc, options: LexicalContentOptions = {}): DocumentContent {
  // The shape rules know the editor's own nodes; a caller registering others relies on Lexical alone.
  const problem = options.nodes?.length ? null : documentShapeProblem(doc);
  if (problem) return { readable: false, reason: problem };
  let session: HeadlessSession | null = null;
  try {
    session = openSession(options.nodes);
    loadState(session, doc);
    return session.editor.read(() => ({
      readable: true as const,
      paragraphs: $getRoot()
        .getChildren()
        .map((block) => block.getTextContent()),
      lines: $readLines(),
      structure: $readStructure(),
    }));
  } catch (error) {
    return { readable: false, reason: error instanceof Error ? error.message : String(error) };
  } finally {
    try {
      session?.dispose();
    } catch {
      // A session over a broken document may fail to tear down; it holds nothing shared.
    }
  }
}

/** The document's text for search and exports: its lines ({@link $readLines}) joined by a blank line ("\n\n"). */
export function plainText(doc: Y.Doc, options: LexicalContentOptions = {}): string {
  const content = readContent(doc, options);
  if (!content.readable) throw new UnreadableDocumentError(content.reason);
  return content.lines.join("\n\n");
}

/**
 * Replace the whole content of an existing doc with the given paragraphs (empty array: one empty
 * paragraph), as a Lexical edit would: a headless editor loaded with the doc's current state clears
 * the root and appends the new paragraphs, and the binding turns that into Yjs operations (delete all
 * old blocks, insert the new ones). Those operations are applied to `doc` in ONE transaction, with
 * origin `options.origin` (default {@link SERVER_CONTENT_ORIGIN}), so `doc.on('update')` fires once
 * with an update that other replicas can apply to converge.
 *
 * Concurrent browser edits made to the old blocks before this change reaches them are merged by Yjs
 * into deleted blocks, i.e. they are lost, which is the intended meaning of "restore this version".
 */
export function replaceContent(doc: Y.Doc, paragraphs: string[], options: ReplaceContentOptions = {}): void {
  const origin = options.origin ?? SERVER_CONTENT_ORIGIN;
  // A document the editor cannot read is emptied at the Yjs level first (restoring a version
  // repairs it): Lexical could not load it to replace its blocks.
  if (!readContent(doc, options).readable) {
    Y.transact(doc, (tr) => clearDocument(doc, tr), origin);
  }
  const session = openSession(options.nodes);
  try {
    loadState(session, doc);
    const before = Y.encodeStateVector(doc);
    writeParagraphs(session, paragraphs);
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(session.doc, before), origin);
  } finally {
    session.dispose();
  }
}

/**
 * Replace the whole content with blocks as {@link DocumentContent.structure} holds them (a saved
 * version: lists, headings, links and emphasis come back as they were), in one transaction like
 * {@link replaceContent}. Node types the editor does not register make Lexical throw: nothing is written.
 */
export function replaceStructure(doc: Y.Doc, structure: readonly SerializedLexicalNode[], options: ReplaceContentOptions = {}): void {
  const origin = options.origin ?? SERVER_CONTENT_ORIGIN;
  if (structure.length === 0) return replaceContent(doc, [], options);
  if (!readContent(doc, options).readable) {
    Y.transact(doc, (tr) => clearDocument(doc, tr), origin);
  }
  const session = openSession(options.nodes);
  try {
    loadState(session, doc);
    const before = Y.encodeStateVector(doc);
    session.editor.update(
      () => {
        const root = $getRoot();
        root.clear();
        root.append(...structure.map((block) => $parseSerializedNode(block)));
      },
      { discrete: true, tag: HISTORY_MERGE_TAG },
    );
    session.check();
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(session.doc, before), origin);
  } finally {
    session.dispose();
  }
}

/** Deletes every live item of every shared type (the root's blocks, and anything outside it). */
function clearDocument(doc: Y.Doc, tr: Y.Transaction): void {
  for (const type of doc.share.values()) {
    for (let item = type._start; item !== null; item = item.right) if (!item.deleted) item.delete(tr);
    for (const item of type._map.values()) if (!item.deleted) item.delete(tr);
  }
}

// ---------------------------------------------------------------------------------------------
// Comment anchors: MarkNodes whose ids are comment thread ids (the threads themselves live in SQL)
// ---------------------------------------------------------------------------------------------

/** The selected text no longer reads as the commenter saw it: they must select it again. */
export class AnchorMismatchError extends Error {
  constructor(
    message: string,
    /** What the range covers now (null when it is out of bounds). */
    readonly current: string | null,
  ) {
    super(message);
    this.name = "AnchorMismatchError";
  }
}

export interface MarkRangeOptions extends LexicalContentOptions {
  /** The text the range must cover right now; otherwise AnchorMismatchError and nothing changes. */
  expectedText?: string;
}

export interface AddMarkOptions extends MarkRangeOptions {
  /** Yjs transaction origin for the change applied to the caller's doc. Default: {@link SERVER_CONTENT_ORIGIN}. */
  origin?: unknown;
}

/**
 * The Yjs update that wraps `range` of the doc's current content in a MarkNode carrying `markId`, and
 * nothing else. The doc itself is not modified.
 *
 * Two ways to make it, the first kept only when it checks out:
 *  1. In place (a range inside one text node, the usual case): the marked characters are deleted and
 *     a mark holding a copy of them is inserted right after them, followed by a text-node header for
 *     the rest of the original node. The characters before and after the range are not touched, so a
 *     concurrent edit next to the range (typed by someone whose keystrokes were in flight when the
 *     comment was made) stays exactly where it was typed. The result is then checked twice: by the
 *     bound headless editor applying it incrementally (as a live browser receives it) and by a fresh
 *     load (as a browser opening the page reads it): the text must read unchanged, the mark must cover
 *     exactly the range, other marks must be as they were, and Lexical must report no error.
 *  2. Lexical's own `$wrapSelectionInMarkNode` through the binding (ranges across text nodes or blocks,
 *     or if the check above fails): the binding rewrites the text nodes the range touches (split
 *     nodes are re-created), so a concurrent edit inside those nodes lands before the mark rather
 *     than where it was typed; other nodes and blocks are untouched. Overlapping an existing mark
 *     nests a new mark inside it, as in Lexical's comment plugin.
 *
 * Throws AnchorMismatchError (nothing written) when the range is empty, out of bounds, or does not
 * cover `options.expectedText`.
 */
export function markRangeUpdate(doc: Y.Doc, range: TextRange, markId: string, options: MarkRangeOptions = {}): Uint8Array {
  if (markId.length === 0) throw new Error("markRangeUpdate needs a non-empty mark id");
  const attempt = wrapInPlace(doc, range, markId, options);
  if (attempt.update && verifyMarked(doc, attempt.update, markId, attempt.reading, options.nodes)) return attempt.update;
  return wrapThroughLexical(doc, range, markId, options.nodes, options.expectedText);
}

/** What the document reads before the change, and so must read after it (text never changes). */
interface Reading {
  blocks: string[];
  /** The text the mark must cover. */
  text: string;
  /** Marks present before the change, which must be left as they are. */
  marksBefore: Map<string, string>;
}

/** Reads the doc in a loaded session and checks the range; throws AnchorMismatchError when it does not fit. */
function readRange(session: HeadlessSession, range: TextRange, expectedText: string | undefined): Reading {
  const { blocks, marksBefore } = session.editor.read(() => ({ blocks: $blockTexts(), marksBefore: $readMarks() }));
  const current = textOfRange(blocks, range);
  if (current === null || compareTextPoints(range.start, range.end) >= 0) {
    throw new AnchorMismatchError("The selected range is empty or not in the document.", current);
  }
  if (expectedText !== undefined && current !== expectedText) {
    throw new AnchorMismatchError("The selected text has changed.", current);
  }
  return { blocks, text: current, marksBefore };
}

function wrapThroughLexical(
  doc: Y.Doc,
  range: TextRange,
  markId: string,
  nodes: LexicalNodes | undefined,
  expectedText?: string,
): Uint8Array {
  const session = openSession(nodes);
  try {
    loadState(session, doc);
    const reading = readRange(session, range, expectedText);
    const before = Y.encodeStateVector(session.doc);
    let wrapped = false;
    session.editor.update(
      () => {
        const start = $textPointToPoint(range.start, "start");
        const end = $textPointToPoint(range.end, "end");
        if (!start || !end) return;
        const selection = $createRangeSelection();
        selection.anchor.set(start.key, start.offset, start.type);
        selection.focus.set(end.key, end.offset, end.type);
        $wrapSelectionInMarkNode(selection, false, markId);
        wrapped = true;
      },
      { discrete: true, tag: HISTORY_MERGE_TAG },
    );
    session.check();
    if (!wrapped) throw new AnchorMismatchError("The selected range could not be placed in the document.", reading.text);
    return Y.encodeStateAsUpdate(session.doc, before);
  } finally {
    session.dispose();
  }
}

let markAttributeTemplate: Record<string, unknown> | null = null;

/**
 * The attributes Lexical gives a MarkNode's XmlText (node type, element properties, ids), learnt once
 * from Lexical itself by marking a one-word document, so the in-place edit writes exactly what
 * Lexical would.
 */
function markAttributes(markId: string): Record<string, unknown> {
  if (!markAttributeTemplate) {
    const doc = new Y.Doc();
    try {
      Y.applyUpdate(doc, initialContentUpdate(["template"]));
      Y.applyUpdate(doc, wrapThroughLexical(doc, { start: { block: 0, offset: 0 }, end: { block: 0, offset: 8 } }, "template", []));
      const paragraph = (doc.get("root", Y.XmlText).toDelta() as { insert: Y.XmlText }[])[0].insert;
      const mark = (paragraph.toDelta() as { insert: unknown }[]).find((d) => d.insert instanceof Y.XmlText)?.insert as Y.XmlText;
      markAttributeTemplate = mark.getAttributes() as Record<string, unknown>;
    } finally {
      doc.destroy();
    }
  }
  return { ...markAttributeTemplate, __ids: [markId] };
}

/** Origin of the in-place Yjs edit inside the scratch session: not the binding, so Lexical syncs it in. */
const IN_PLACE_ORIGIN = "lexical-content:mark-in-place";

function wrapInPlace(
  doc: Y.Doc,
  range: TextRange,
  markId: string,
  options: MarkRangeOptions,
): { update: Uint8Array | null; reading: Reading } {
  const session = openSession(options.nodes);
  try {
    loadState(session, doc);
    // Throws (nothing written) if the range does not fit the current text.
    const reading = readRange(session, range, options.expectedText);
    const none = { update: null, reading };
    let attributes: Record<string, unknown>;
    try {
      attributes = markAttributes(markId);
    } catch {
      return none;
    }
    if (attributes.__type !== "mark") return none;
    const target = session.editor.read(() => {
      const start = $textPointToPoint(range.start, "start");
      const end = $textPointToPoint(range.end, "end");
      if (!start || !end || start.type !== "text" || end.type !== "text" || start.key !== end.key) return null;
      const collab = session.binding.collabNodeMap.get(start.key);
      if (!collab || !("_map" in collab) || !("_text" in collab) || !("getOffset" in collab)) return null;
      const parent = (collab as unknown as { _parent: { _xmlText: Y.XmlText } })._parent._xmlText;
      return {
        parent,
        // Index of the text node's header (a Y.Map) in its parent; its characters follow it.
        header: (collab as unknown as { getOffset(): number }).getOffset(),
        properties: (collab._map as Y.Map<unknown>).toJSON() as Record<string, unknown>,
        text: collab._text as string,
        from: start.offset,
        to: end.offset,
      };
    });
    if (!target || target.from >= target.to || target.text.slice(target.from, target.to) !== reading.text) return none;
    // A range starting at the very beginning of a text node would leave an empty text node before the
    // mark, which Lexical would then normalise away (a write from every client): let Lexical do those.
    if (target.from === 0) return none;

    const before = Y.encodeStateVector(session.doc);
    const markedChars = target.to - target.from;
    const firstChar = target.header + 1 + target.from;
    session.doc.transact(() => {
      const mark = new Y.XmlText();
      // Inserted after the characters it replaces: an edit concurrent with this one and made among
      // those characters then lands just before the mark, never after the rest of the sentence.
      target.parent.insertEmbed(firstChar + markedChars, mark);
      for (const [key, value] of Object.entries(attributes)) mark.setAttribute(key, value as string);
      const inner = new Y.Map<unknown>();
      mark.insertEmbed(0, inner);
      for (const [key, value] of Object.entries(target.properties)) inner.set(key, value);
      mark.insert(1, reading.text);
      if (target.to < target.text.length) {
        // The rest of the original characters become the text node after the mark.
        const rest = new Y.Map<unknown>();
        target.parent.insertEmbed(firstChar + markedChars + 1, rest);
        for (const [key, value] of Object.entries(target.properties)) rest.set(key, value);
      }
      target.parent.delete(firstChar, markedChars);
    }, IN_PLACE_ORIGIN);
    // The binding scheduled the matching Lexical update: commit it now, as a live browser would.
    session.editor.update(noop, { discrete: true });
    session.check();
    const seen = session.editor.read(() => ({ blocks: $blockTexts(), marks: $readMarks() }));
    if (!sameReading(seen, markId, reading)) return none;
    return { update: Y.encodeStateAsUpdate(session.doc, before), reading };
  } catch (error) {
    if (error instanceof AnchorMismatchError) throw error;
    // Anything unexpected: Lexical's own wrap is the answer. The reading is redone there.
    return { update: null, reading: { blocks: [], text: "", marksBefore: new Map() } };
  } finally {
    session.dispose();
  }
}

/** The in-place update read by a fresh load must give the same text and the expected marks. */
function verifyMarked(
  doc: Y.Doc,
  update: Uint8Array,
  markId: string,
  reference: Reading,
  nodes: LexicalNodes | undefined,
): boolean {
  const copy = new Y.Doc();
  try {
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
    Y.applyUpdate(copy, update);
    const session = openSession(nodes);
    try {
      loadState(session, copy);
      return sameReading(session.editor.read(() => ({ blocks: $blockTexts(), marks: $readMarks() })), markId, reference);
    } finally {
      session.dispose();
    }
  } catch {
    return false;
  } finally {
    copy.destroy();
  }
}

function sameReading(seen: { blocks: string[]; marks: Map<string, string> }, markId: string, reference: Reading): boolean {
  if (seen.blocks.length !== reference.blocks.length || seen.blocks.some((b, i) => b !== reference.blocks[i])) return false;
  if (seen.marks.get(markId) !== reference.text) return false;
  if (seen.marks.size !== reference.marksBefore.size + (reference.marksBefore.has(markId) ? 0 : 1)) return false;
  for (const [id, text] of reference.marksBefore) if (id !== markId && seen.marks.get(id) !== text) return false;
  return true;
}

/**
 * Wrap `range` in a MarkNode with id `markId`, applying {@link markRangeUpdate}'s update to `doc` in one
 * transaction with `options.origin`. Call it inside the sync server's `applyServerChange` callback, so
 * the check of `expectedText` and the write happen against the live doc with nothing in between.
 */
export function addMark(doc: Y.Doc, range: TextRange, markId: string, options: AddMarkOptions = {}): void {
  const update = markRangeUpdate(doc, range, markId, options);
  Y.applyUpdate(doc, update, options.origin ?? SERVER_CONTENT_ORIGIN);
}

/**
 * Every mark id present in the doc, with the text it covers now: the text of all MarkNodes carrying it,
 * in document order (pieces in one block joined directly, pieces in different blocks by "\n\n", as
 * plainText joins blocks). A mark whose text was all deleted is absent, even if an empty MarkNode
 * lingers in the Yjs structure.
 */
export function readMarks(doc: Y.Doc, options: LexicalContentOptions = {}): Map<string, string> {
  // A text that cannot be read anchors nothing; readers show the notice from readContent.
  if (!readContent(doc, options).readable) return new Map();
  const session = openSession(options.nodes);
  try {
    loadState(session, doc);
    return session.editor.read($readMarks);
  } finally {
    session.dispose();
  }
}

