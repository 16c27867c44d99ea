/**
 * Is a Y.Doc a tree of the editor's registered Lexical nodes, within bounds? Yjs accepts any
 * well-formed update, and Lexical's binding throws (or overflows its stack) on a node type it
 * does not know, content where a block must be, or blocks nested thousands deep; one such update
 * stored used to make every server-side reader of that text answer 500, across restarts.
 *
 * Two uses, one set of rules:
 *  - `lexicalDocumentGuard`, given to the sync server, checks each client transaction before it
 *    is committed, looking only at what the transaction touched: the items it inserted, the types
 *    it changed (their direct children and properties) and their ancestry, plus running totals of
 *    nodes and characters kept per room. Cost follows the size of the change and of the touched
 *    types, not the size of the document.
 *  - `documentShapeProblem` walks a whole document (readers of stored state, the start-up scan).
 *
 * The Yjs layout is the one `@lexical/yjs` (v1 binding) writes; see editor-nodes.ts.
 */
import * as Y from "yjs";
import type { DocumentGuard, DocumentTally } from "../sync/types";
import { ELEMENT_RULES, NODE_PLACES } from "./editor-nodes";

/** Lexical's v1 binding keeps the tree in this root XmlText; no other root type is accepted. */
export const LEXICAL_ROOT = "root";

export interface DocumentLimits {
  /** Elements nested below the root (a block is 1, a comment mark in it 2, nested marks more). */
  maxDepth: number;
  /** Nodes (elements and leaves) in one document. */
  maxNodes: number;
  /** Characters in one document. */
  maxTextLength: number;
}

export const DEFAULT_DOCUMENT_LIMITS: DocumentLimits = {
  // Overlapping comments nest marks; 32 is far beyond any real overlap.
  maxDepth: 32,
  // A plan overview of 50 pages is a few thousand nodes.
  maxNodes: 20_000,
  // About 30,000 words in one text body.
  maxTextLength: 200_000,
};

function typeName(t: Y.AbstractType<unknown>): string | undefined {
  // XmlText attributes and Y.Map entries both live in `_map`.
  const item = t._map.get("__type");
  if (!item || item.deleted) return undefined;
  const value = item.content.getContent()[item.length - 1];
  return typeof value === "string" ? value : undefined;
}

/** Depth of `t` below the root (0: the root), walking up at most `maxDepth` + 1 levels; a reason when it stands nowhere valid. */
function depthOf(doc: Y.Doc, t: Y.AbstractType<unknown>, limits: DocumentLimits): { depth: number } | { problem: string } | null {
  let depth = 0;
  let top = t;
  while (top._item !== null) {
    if (top._item.deleted) return null; // removed with an ancestor: no longer in the document
    depth += 1;
    if (depth > limits.maxDepth) return { problem: `the text nests more than ${limits.maxDepth} levels deep` };
    top = top._item.parent as Y.AbstractType<unknown>;
  }
  if (top !== doc.share.get(LEXICAL_ROOT)) return { problem: "the document has content outside the editor's root" };
  return { depth };
}

/** The node type an element stands for ("root" for the root XmlText). */
function elementName(t: Y.AbstractType<unknown>): string | undefined {
  return t._item === null ? LEXICAL_ROOT : typeName(t);
}

const describe = (name: string | undefined) => `“${name ?? "none"}”`;

/**
 * One type against the rules (editor-nodes.ts): its own node type where it stands (by its parent's
 * type), and its direct children. Checking both sides of every parent-child pair means a change of
 * either one (a new child, or a parent's type rewritten) is caught when that one is touched.
 */
function typeProblem(doc: Y.Doc, t: Y.AbstractType<unknown>, limits: DocumentLimits): string | null {
  const where = depthOf(doc, t, limits);
  if (where === null) return null;
  if ("problem" in where) return where.problem;
  if (t instanceof Y.Map) {
    const name = typeName(t as Y.AbstractType<unknown>);
    if (name === undefined || !NODE_PLACES.leaf.has(name)) return `the text holds a text node of type ${describe(name)} the editor does not have`;
    const parent = t._item?.parent as Y.AbstractType<unknown> | undefined;
    if (!(parent instanceof Y.XmlText)) return "the text holds a text node outside an element";
    const parentName = elementName(parent as Y.AbstractType<unknown>);
    if (!ELEMENT_RULES[parentName ?? ""]?.holdsText) return `the text holds a text node where a ${parentName === LEXICAL_ROOT ? "block" : describe(parentName)} cannot hold one`;
    return null;
  }
  // The root may still be a bare AbstractType (a doc loaded from an update, never asked for its XmlText).
  const isRoot = where.depth === 0;
  if (!isRoot && !(t instanceof Y.XmlText)) return "the text holds an element the editor does not have";
  const name = elementName(t);
  if (!isRoot) {
    const rule = ELEMENT_RULES[name ?? ""];
    const parentName = elementName(t._item!.parent as Y.AbstractType<unknown>);
    if (!rule) return `the text holds an element of type ${describe(name)} the editor does not have`;
    if (!rule.parents.has(parentName ?? "")) {
      return `the text holds a ${describe(name)} where it cannot stand (inside ${parentName === LEXICAL_ROOT ? "the root" : describe(parentName)})`;
    }
  }
  const holdsText = !isRoot && ELEMENT_RULES[name ?? ""].holdsText;
  // Direct children: the root holds blocks only, a list list items only; elements that hold text
  // hold leaves (a text leaf's characters follow its map) and inline elements. Characters left
  // without their map by concurrent edits are dropped by Lexical's binding, not a reason to refuse
  // an honest client.
  for (let item = t._start; item !== null; item = item.right) {
    if (item.deleted) continue;
    const content = item.content;
    if (content instanceof Y.ContentType) {
      const child = content.type;
      if (child instanceof Y.XmlText) {
        const childName = typeName(child as Y.AbstractType<unknown>);
        if (!ELEMENT_RULES[childName ?? ""]?.parents.has(name ?? "")) {
          return `the text holds a ${describe(childName)} where it cannot stand (inside ${isRoot ? "the root" : describe(name)})`;
        }
      } else if (child instanceof Y.Map) {
        if (!holdsText) return isRoot ? "the text holds a text node where a block must be" : `the text holds a text node where a ${describe(name)} cannot hold one`;
      } else {
        return "the text holds an element the editor does not have";
      }
    } else if (content instanceof Y.ContentString) {
      if (!holdsText) return isRoot ? "the text holds characters where a block must be" : `the text holds characters where a ${describe(name)} cannot hold them`;
    } else {
      return "the text holds content the editor does not read";
    }
  }
  return null;
}

function countOf(item: Y.Item): { nodes: number; text: number } {
  if (item.parentSub !== null) return { nodes: 0, text: 0 };
  if (item.content instanceof Y.ContentType) return { nodes: 1, text: 0 };
  if (item.content instanceof Y.ContentString) return { nodes: 0, text: item.length };
  return { nodes: 0, text: 0 };
}

/** Nodes and characters the document holds now (every live item, in every root type). */
export function measureDocument(doc: Y.Doc): DocumentTally {
  const tally = { nodes: 0, text: 0 };
  for (const structs of doc.store.clients.values()) {
    for (const s of structs) {
      if (s instanceof Y.Item && !s.deleted) {
        const c = countOf(s);
        tally.nodes += c.nodes;
        tally.text += c.text;
      }
    }
  }
  return tally;
}

/**
 * Why the whole document is not a tree of registered nodes, or null. Walks every type once
 * (iteratively: documents nested thousands deep must not overflow the stack here).
 */
export function documentShapeProblem(doc: Y.Doc, limits: DocumentLimits = DEFAULT_DOCUMENT_LIMITS): string | null {
  for (const [name, type] of doc.share) {
    if (name === LEXICAL_ROOT) continue;
    const live = (t: Y.AbstractType<unknown>) => {
      for (let i = t._start; i !== null; i = i.right) if (!i.deleted) return true;
      for (const i of t._map.values()) if (!i.deleted) return true;
      return false;
    };
    if (live(type as Y.AbstractType<unknown>)) return "the document has content outside the editor's root";
  }
  const root = doc.share.get(LEXICAL_ROOT);
  if (!root) return null;
  const stack: { t: Y.AbstractType<unknown>; depth: number }[] = [{ t: root as Y.AbstractType<unknown>, depth: 0 }];
  while (stack.length > 0) {
    const { t, depth } = stack.pop()!;
    if (depth > limits.maxDepth) return `the text nests more than ${limits.maxDepth} levels deep`;
    const problem = typeProblem(doc, t, limits);
    if (problem) return problem;
    for (let item = t._start; item !== null; item = item.right) {
      if (!item.deleted && item.content instanceof Y.ContentType) stack.push({ t: item.content.type as Y.AbstractType<unknown>, depth: depth + 1 });
    }
  }
  return null;
}

/**
 * What one client transaction changed, against the rules: called inside the transaction, after
 * the update was integrated and before anything is stored or sent. Updates `tally` in place.
 */
function checkTransaction(doc: Y.Doc, tr: Y.Transaction, tally: DocumentTally, limits: DocumentLimits): string | null {
  const touched = new Set<Y.AbstractType<unknown>>();
  for (const t of tr.changed.keys()) touched.add(t as Y.AbstractType<unknown>);
  const before = { ...tally };
  // Inserted items: counted, and their parent (and, for a new type, the type itself) checked.
  for (const [client, structs] of doc.store.clients) {
    const from = tr.beforeState.get(client) ?? 0;
    if (Y.getState(doc.store, client) <= from) continue;
    for (let i = Y.findIndexSS(structs, from); i < structs.length; i++) {
      const s = structs[i];
      if (!(s instanceof Y.Item) || s.deleted) continue;
      const c = countOf(s);
      tally.nodes += c.nodes;
      tally.text += c.text;
      touched.add(s.parent as Y.AbstractType<unknown>);
      if (s.content instanceof Y.ContentType) touched.add(s.content.type as Y.AbstractType<unknown>);
    }
  }
  // Deleted items that existed before: no longer counted.
  Y.iterateDeletedStructs(tr, tr.deleteSet, (s) => {
    if (!(s instanceof Y.Item) || s.id.clock >= (tr.beforeState.get(s.id.client) ?? 0)) return;
    const c = countOf(s);
    tally.nodes -= c.nodes;
    tally.text -= c.text;
  });
  if (tally.nodes > limits.maxNodes && tally.nodes > before.nodes) {
    return `the text would have more than ${limits.maxNodes.toLocaleString("en-GB")} parts; split it into several texts`;
  }
  if (tally.text > limits.maxTextLength && tally.text > before.text) {
    return `the text would be longer than ${limits.maxTextLength.toLocaleString("en-GB")} characters; split it into several texts`;
  }
  for (const t of touched) {
    const problem = typeProblem(doc, t, limits);
    if (problem) return problem;
  }
  return null;
}

export function createLexicalDocumentGuard(limits: DocumentLimits = DEFAULT_DOCUMENT_LIMITS): DocumentGuard {
  return {
    measure: measureDocument,
    check: (doc, tr, tally) => checkTransaction(doc, tr, tally, limits),
  };
}

export const lexicalDocumentGuard: DocumentGuard = createLexicalDocumentGuard();
