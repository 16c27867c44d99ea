/**
 * Edits that Yjs accepts but that leave a document the editor cannot read: each is made with
 * the plain Yjs API on a replica of a Lexical document (as a modified client would), in one
 * transaction, so a provider sends it as one update.
 */
import * as Y from "yjs";

const PARAGRAPH_ATTRIBUTES = { __format: 0, __style: "", __indent: 0, __dir: null, __textFormat: 0, __textStyle: "" };
const TEXT_PROPERTIES = { __format: 0, __style: "", __mode: 0, __detail: 0 };

function root(doc: Y.Doc): Y.XmlText {
  return doc.get("root", Y.XmlText) as Y.XmlText;
}

function appendElement(parent: Y.XmlText, type: string, at = parent.length): Y.XmlText {
  const element = new Y.XmlText();
  parent.insertEmbed(at, element);
  element.setAttribute("__type", type);
  for (const [k, v] of Object.entries(PARAGRAPH_ATTRIBUTES)) element.setAttribute(k, v as string);
  return element;
}

function appendText(parent: Y.XmlText, text: string, type = "text"): void {
  const node = new Y.Map<unknown>();
  parent.insertEmbed(parent.length, node);
  node.set("__type", type);
  for (const [k, v] of Object.entries(TEXT_PROPERTIES)) node.set(k, v);
  parent.insert(parent.length, text);
}

function appendLineBreaks(parent: Y.XmlText, count: number): void {
  for (let i = 0; i < count; i++) {
    const node = new Y.Map<unknown>();
    parent.insertEmbed(parent.length, node);
    node.set("__type", "linebreak");
  }
}

/** A valid edit: one more paragraph holding `text`. */
export function appendParagraph(doc: Y.Doc, text: string): void {
  doc.transact(() => appendText(appendElement(root(doc), "paragraph"), text));
}

export interface BadEdit {
  name: string;
  /** Makes the edit on `doc`; some kinds need several updates to cross a per-document bound. */
  edits: ((doc: Y.Doc) => void)[];
}

export const BAD_EDITS: BadEdit[] = [
  {
    name: "a block whose __type is not a registered node",
    edits: [(doc) => doc.transact(() => appendText(appendElement(root(doc), "evil-widget"), "surprise"))],
  },
  {
    name: "an existing paragraph's __type changed to an unregistered node",
    edits: [
      (doc) =>
        doc.transact(() => {
          const first = (root(doc).toDelta() as { insert: unknown }[]).find((d) => d.insert instanceof Y.XmlText)!.insert as Y.XmlText;
          first.setAttribute("__type", "table-of-doom");
        }),
    ],
  },
  {
    name: "a text node where a block must be (directly under the root)",
    edits: [(doc) => doc.transact(() => appendText(root(doc), "loose text"))],
  },
  {
    name: "a decorator (XmlElement) no registered node can read",
    edits: [
      (doc) =>
        doc.transact(() => {
          const p = appendElement(root(doc), "paragraph");
          p.insertEmbed(0, new Y.XmlElement("image"));
        }),
    ],
  },
  {
    name: "blocks nested 3,000 deep",
    edits: [
      (doc) =>
        doc.transact(() => {
          let parent = root(doc);
          for (let i = 0; i < 3000; i++) parent = appendElement(parent, "paragraph");
          appendText(parent, "deep");
        }),
    ],
  },
  {
    name: "more text than a document may hold (250,000 characters)",
    edits: [(doc) => doc.transact(() => appendText(appendElement(root(doc), "paragraph"), "x".repeat(250_000)))],
  },
  {
    name: "more nodes than a document may hold (three updates of 8,000 line breaks)",
    edits: [0, 1, 2].map(() => (doc: Y.Doc) => doc.transact(() => appendLineBreaks(appendElement(root(doc), "paragraph"), 8_000))),
  },
  {
    name: "a root type other than Lexical's root (a Y.Text)",
    edits: [(doc) => doc.getText("t").insert(0, "hidden text")],
  },
  {
    name: "a root type other than Lexical's root (a Y.Map)",
    edits: [(doc) => doc.getMap("evil").set("payload", "x")],
  },
];

/**
 * A complete document state as an update, made bad the way an accepted hostile update would
 * have left it: the base's content plus a block of an unregistered type.
 */
export function badDocumentUpdate(base: Y.Doc): Uint8Array {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(base));
  const before = Y.encodeStateVector(doc);
  doc.transact(() => appendText(appendElement(root(doc), "evil-widget"), "surprise"));
  const update = Y.encodeStateAsUpdate(doc, before);
  doc.destroy();
  return update;
}

/**
 * A plain-text view of one paragraph of a Lexical document, for tests that type characters the
 * way Y.Text tests do: the paragraph (marked with a test attribute) is created by the first
 * insert, at offset 0, and each insert lands in its one text node.
 */
export function typingParagraph(doc: Y.Doc): { insert(index: number, text: string): void; toString(): string; readonly length: number } {
  const find = (): Y.XmlText | null => {
    const blocks = (root(doc).toDelta() as { insert: unknown }[]).map((d) => d.insert);
    return (blocks.filter((b) => b instanceof Y.XmlText && b.getAttribute("__typing") === "yes").at(-1) as Y.XmlText | undefined) ?? null;
  };
  const text = () => {
    const p = find();
    return p ? (p.toDelta() as { insert: unknown }[]).map((d) => (typeof d.insert === "string" ? d.insert : "")).join("") : "";
  };
  return {
    insert(index, value) {
      const p = find();
      if (!p) {
        if (index !== 0) throw new Error("the typing paragraph starts empty");
        doc.transact(() => {
          const created = appendElement(root(doc), "paragraph");
          created.setAttribute("__typing", "yes");
          appendText(created, value);
        });
        return;
      }
      p.insert(1 + index, value);
    },
    toString: text,
    get length() {
      return text().length;
    },
  };
}
