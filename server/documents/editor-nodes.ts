/**
 * The Lexical nodes the editor registers, in one place: the browser editor, the server's headless
 * sessions and the shape check of stored documents (lexical-shape.ts) all read this list, so a
 * node added to the editor is accepted by the server and read by every server-side reader.
 * Imported by the browser too: nothing server-only here.
 */
import { MarkNode } from "@lexical/mark";
import type { Klass, LexicalNode, LexicalNodeReplacement } from "lexical";

/** Registered beyond Lexical's core nodes (root, paragraph, text, line break, tab). */
export const EDITOR_NODES: ReadonlyArray<Klass<LexicalNode> | LexicalNodeReplacement> = [MarkNode];

/**
 * Where each registered node may stand in the Yjs tree of Lexical's v1 binding: blocks are
 * XmlTexts directly under the root XmlText, inline elements are XmlTexts inside a block (or inside
 * another inline element), and leaves are Y.Maps inside an element (a text leaf's characters
 * follow its map in the parent XmlText).
 */
export const NODE_PLACES = {
  block: new Set(["paragraph"]),
  inline: new Set(["mark"]),
  leaf: new Set(["text", "tab", "linebreak"]),
  /** Leaves whose characters follow their map. */
  textLeaf: new Set(["text", "tab"]),
} as const;
