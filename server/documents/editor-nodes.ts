/**
 * The Lexical nodes the editor registers, in one place: the browser editor, the server's headless
 * sessions and the shape check of stored documents (lexical-shape.ts) all read this list, so a
 * node added to the editor is accepted by the server and read by every server-side reader.
 * Imported by the browser too: nothing server-only here.
 */
import { LinkNode } from "@lexical/link";
import { ListItemNode, ListNode } from "@lexical/list";
import { MarkNode } from "@lexical/mark";
import { HeadingNode } from "@lexical/rich-text";
import type { Klass, LexicalNode, LexicalNodeReplacement } from "lexical";

/** Registered beyond Lexical's core nodes (root, paragraph, text, line break, tab). */
export const EDITOR_NODES: ReadonlyArray<Klass<LexicalNode> | LexicalNodeReplacement> = [
  MarkNode,
  HeadingNode,
  ListNode,
  ListItemNode,
  LinkNode,
];

/** The heading levels the toolbar offers (the page's own title is the h1). */
export const HEADING_TAGS = ["h2", "h3"] as const;

/**
 * Where each element may stand in the Yjs tree of Lexical's v1 binding, by the node type of its
 * parent ("root" is the root XmlText), and what it holds: blocks and list items hold text leaves
 * (Y.Maps, a text leaf's characters following its map) and inline elements; a list holds list
 * items only; a list item may also hold a nested list.
 */
export const ELEMENT_RULES: Readonly<Record<string, { parents: ReadonlySet<string>; holdsText: boolean }>> = {
  paragraph: { parents: new Set(["root"]), holdsText: true },
  heading: { parents: new Set(["root"]), holdsText: true },
  list: { parents: new Set(["root", "listitem"]), holdsText: false },
  listitem: { parents: new Set(["list"]), holdsText: true },
  // Inline elements: inside anything that holds text, or inside each other (overlapping comments
  // nest marks; a link may hold a comment and the other way round).
  link: { parents: new Set(["paragraph", "heading", "listitem", "link", "mark"]), holdsText: true },
  mark: { parents: new Set(["paragraph", "heading", "listitem", "link", "mark"]), holdsText: true },
};

export const NODE_PLACES = {
  /** Leaves, Y.Maps inside an element that holds text. */
  leaf: new Set(["text", "tab", "linebreak"]),
  /** Leaves whose characters follow their map. */
  textLeaf: new Set(["text", "tab"]),
} as const;
