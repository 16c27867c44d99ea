import { createHeadlessEditor } from "@lexical/headless";
import {
  createBinding,
  syncLexicalUpdateToYjs,
  syncYjsChangesToLexical,
  type Binding,
  type Provider,
} from "@lexical/yjs";
import {
  $applyNodeReplacement,
  $getRoot,
  $getSelection,
  $isElementNode,
  $isRangeSelection,
  ParagraphNode,
  SKIP_COLLAB_TAG,
  type Klass,
  type LexicalEditor,
  type LexicalNode,
  type SerializedParagraphNode,
} from "lexical";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";

import {
  SERVER_CONTENT_ORIGIN,
  initialContentUpdate,
  plainText,
  readContent,
  readParagraphs,
  UnreadableDocumentError,
  replaceContent,
} from "../../server/documents/lexical-content";

function docFrom(...updates: Uint8Array[]): Y.Doc {
  const doc = new Y.Doc();
  for (const update of updates) Y.applyUpdate(doc, update);
  return doc;
}

/** Exchange the missing state both ways, as a sync protocol would. */
function sync(a: Y.Doc, b: Y.Doc): void {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)), "remote");
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)), "remote");
}

const noop = (): void => {};

/**
 * An independent "browser-like" client: a headless Lexical editor bound to its own Y.Doc and wired the
 * way `useYjsCollaboration` (@lexical/react 0.52) wires a browser editor. Written here on purpose rather
 * than reusing the module's internals, so the tests check the module against the binding itself.
 */
function createClient(initialState: Uint8Array | null, nodes: ReadonlyArray<Klass<LexicalNode>> = []) {
  const doc = new Y.Doc();
  const errors: Error[] = [];
  const editor: LexicalEditor = createHeadlessEditor({
    namespace: "test-client",
    nodes,
    onError: (e) => errors.push(e),
  });
  const provider: Provider = {
    awareness: {
      getLocalState: () => null,
      getStates: () => new Map(),
      off: noop,
      on: noop,
      setLocalState: noop,
      setLocalStateField: noop,
    },
    connect: noop,
    disconnect: noop,
    off: noop,
    on: noop,
  };
  const binding: Binding = createBinding(editor, provider, "client", doc, new Map([["client", doc]]));
  binding.root.getSharedType().observeDeep((events, transaction) => {
    if (transaction.origin !== binding) {
      syncYjsChangesToLexical(binding, provider, events as Array<Y.YEvent<Y.Text>>, false);
    }
  });
  editor.registerUpdateListener((p) => {
    if (!p.tags.has(SKIP_COLLAB_TAG)) {
      syncLexicalUpdateToYjs(
        binding,
        provider,
        p.prevEditorState,
        p.editorState,
        p.dirtyElements,
        p.dirtyLeaves,
        p.normalizedNodes,
        p.tags,
      );
    }
  });
  // Like a provider's first sync: the state arrives after the binding observes the doc (a binding
  // created over a doc that already has content would not load it).
  if (initialState) Y.applyUpdate(doc, initialState, "remote");
  return {
    editor,
    doc,
    binding,
    errors,
    paragraphs(): string[] {
      return editor.read(() => $getRoot().getChildren().map((n) => n.getTextContent()));
    },
    /** Put the caret at the end of block `index` and type `text`, as keyboard input would. */
    typeAtEndOf(index: number, text: string): void {
      // Commit any remote change still pending first. Lexical batches updates queued in the same
      // tick into one commit whose tags are merged; a keystroke batched with a remote ("collaboration"
      // tagged) update would not be written to Yjs. In a browser they come from separate tasks.
      editor.read(noop);
      editor.update(
        () => {
          const block = $getRoot().getChildAtIndex(index);
          if (!$isElementNode(block)) throw new Error(`no block ${index}`);
          block.selectEnd();
          const selection = $getSelection();
          if (!$isRangeSelection(selection)) throw new Error("no range selection");
          selection.insertText(text);
        },
        { discrete: true },
      );
    },
  };
}

describe("initialContentUpdate + readParagraphs", () => {
  it.each<[string, string[]]>([
    ["simple", ["Hello", "World"]],
    ["unicode", ["Ünïcödé", "日本語のテキスト", "emoji 🎉👩‍👩‍👧 ok", "RTL עברית", "e\u0301 combining"]],
    ["empty strings", ["", "middle", "", ""]],
    ["only empty", [""]],
    ["line breaks and tabs inside a paragraph", ["a\nb", "x\ty", "\n"]],
    ["50 paragraphs", Array.from({ length: 50 }, (_, i) => `Paragraph ${i + 1}: ${"lorem ipsum ".repeat(i % 7)}`)],
  ])("round-trips %s", (_name, paragraphs) => {
    const doc = docFrom(initialContentUpdate(paragraphs));
    expect(readParagraphs(doc)).toEqual(paragraphs);
    expect(plainText(doc)).toBe(paragraphs.join("\n\n"));
  });

  it("gives one empty paragraph for an empty array", () => {
    const doc = docFrom(initialContentUpdate([]));
    expect(readParagraphs(doc)).toEqual([""]);
    expect(plainText(doc)).toBe("");
  });

  it("writes the classic v1 layout under doc.get('root', Y.XmlText)", () => {
    const doc = docFrom(initialContentUpdate(["Hi"]));
    const root = doc.get("root", Y.XmlText);
    const blocks = root.toDelta() as Array<{ insert: Y.XmlText }>;
    expect(blocks).toHaveLength(1);
    expect(blocks[0].insert).toBeInstanceOf(Y.XmlText);
    expect(blocks[0].insert.getAttribute("__type")).toBe("paragraph");
    const inner = blocks[0].insert.toDelta() as Array<{ insert: unknown }>;
    expect((inner[0].insert as Y.Map<unknown>).get("__type")).toBe("text");
    expect(inner[1].insert).toBe("Hi");
  });

  it("reads an empty doc as no blocks", () => {
    expect(readParagraphs(new Y.Doc())).toEqual([]);
    expect(plainText(new Y.Doc())).toBe("");
  });

  it("does not modify the doc it reads", () => {
    const doc = docFrom(initialContentUpdate(["a", "b"]));
    const before = Y.encodeStateAsUpdate(doc);
    let updates = 0;
    doc.on("update", () => updates++);
    readParagraphs(doc);
    expect(updates).toBe(0);
    expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
  });

  it("is idempotent when the same update bytes are applied twice", () => {
    const update = initialContentUpdate(["one", "two", "three"]);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, update);
    Y.applyUpdate(doc, update);
    expect(readParagraphs(doc)).toEqual(["one", "two", "three"]);

    // ... also when two replicas each got it and then sync with each other.
    const other = docFrom(update);
    sync(doc, other);
    expect(readParagraphs(doc)).toEqual(["one", "two", "three"]);
    expect(readParagraphs(other)).toEqual(["one", "two", "three"]);
  });
});

describe("with an independent Lexical client", () => {
  it("the client sees the server's paragraphs, and the server reads the client's typing", () => {
    const paragraphs = ["First", "Second", "Third — ünï 🎉", ""];
    const update = initialContentUpdate(paragraphs);
    const serverDoc = docFrom(update);
    const client = createClient(null);
    const clientDoc = client.doc;

    Y.applyUpdate(clientDoc, update, "remote");
    expect(client.paragraphs()).toEqual(paragraphs);

    client.typeAtEndOf(1, " word");
    expect(client.paragraphs()).toEqual(["First", "Second word", "Third — ünï 🎉", ""]);

    sync(serverDoc, clientDoc);
    expect(readParagraphs(serverDoc)).toEqual(["First", "Second word", "Third — ünï 🎉", ""]);
    expect(client.errors).toEqual([]);
  });

  it("merges concurrent edits from two clients", () => {
    const update = initialContentUpdate(["alpha", "beta"]);
    const server = docFrom(update);
    const a = createClient(update);
    const b = createClient(update);
    a.typeAtEndOf(0, " A");
    b.typeAtEndOf(1, " B");
    sync(a.doc, server);
    sync(b.doc, server);
    sync(a.doc, server);
    expect(readParagraphs(server)).toEqual(["alpha A", "beta B"]);
    expect(a.paragraphs()).toEqual(["alpha A", "beta B"]);
    expect(b.paragraphs()).toEqual(["alpha A", "beta B"]);
  });
});

describe("replaceContent", () => {
  it("replaces everything in one transaction with the documented origin, and replicas converge", () => {
    const update = initialContentUpdate(["old 1", "old 2", "old 3"]);
    const doc = docFrom(update);
    const replica = docFrom(update);
    const client = createClient(update);

    const events: Array<{ update: Uint8Array; origin: unknown }> = [];
    doc.on("update", (u: Uint8Array, origin: unknown) => events.push({ update: u, origin }));
    replaceContent(doc, ["new 1", "", "new 3 ✓", "new 4"]);

    expect(readParagraphs(doc)).toEqual(["new 1", "", "new 3 ✓", "new 4"]);
    expect(events).toHaveLength(1);
    expect(events[0].origin).toBe(SERVER_CONTENT_ORIGIN);

    Y.applyUpdate(replica, events[0].update, "remote");
    expect(readParagraphs(replica)).toEqual(["new 1", "", "new 3 ✓", "new 4"]);

    Y.applyUpdate(client.doc, events[0].update, "remote");
    expect(client.paragraphs()).toEqual(["new 1", "", "new 3 ✓", "new 4"]);

    // The client can keep editing the replaced content, and the server reads it.
    client.typeAtEndOf(3, "!");
    sync(doc, client.doc);
    expect(readParagraphs(doc)).toEqual(["new 1", "", "new 3 ✓", "new 4!"]);
    expect(client.errors).toEqual([]);
  });

  it("accepts a custom origin and an empty array (one empty paragraph)", () => {
    const doc = docFrom(initialContentUpdate(["x", "y"]));
    const origins: unknown[] = [];
    doc.on("update", (_u: Uint8Array, origin: unknown) => origins.push(origin));
    const origin = { restoredVersion: 3 };
    replaceContent(doc, [], { origin });
    expect(origins).toEqual([origin]);
    expect(readParagraphs(doc)).toEqual([""]);
  });

  it("can be applied repeatedly and to an empty doc", () => {
    const doc = new Y.Doc();
    replaceContent(doc, ["v1"]);
    replaceContent(doc, ["v2 a", "v2 b"]);
    replaceContent(doc, ["v3"]);
    expect(readParagraphs(doc)).toEqual(["v3"]);
    const replica = docFrom(Y.encodeStateAsUpdate(doc));
    expect(readParagraphs(replica)).toEqual(["v3"]);
  });

  it("converges with a concurrent client edit (the edit to a replaced block is dropped)", () => {
    const update = initialContentUpdate(["keep?", "other"]);
    const doc = docFrom(update);
    const client = createClient(update);
    client.typeAtEndOf(0, " edited");
    replaceContent(doc, ["restored"]);
    sync(doc, client.doc);
    expect(readParagraphs(doc)).toEqual(["restored"]);
    expect(client.paragraphs()).toEqual(["restored"]);
    expect(client.errors).toEqual([]);
  });
});

describe("node types", () => {
  /** A custom block type, standing in for e.g. a HeadingNode the browser might register. */
  class NoteNode extends ParagraphNode {
    static getType(): string {
      return "test-note";
    }
    static clone(node: NoteNode): NoteNode {
      return new NoteNode(node.__key);
    }
    static importJSON(json: SerializedParagraphNode): NoteNode {
      return new NoteNode().updateFromJSON(json);
    }
  }

  it("reads blocks of a registered extra type, and refuses to guess when it is not registered", () => {
    const update = initialContentUpdate(["plain"]);
    const doc = docFrom(update);
    const client = createClient(update, [NoteNode]);
    client.editor.read(noop); // commit the loaded state first (see typeAtEndOf)
    client.editor.update(
      () => {
        const note = $applyNodeReplacement(new NoteNode());
        $getRoot().append(note);
        note.select();
        const selection = $getSelection();
        if ($isRangeSelection(selection)) selection.insertText("a note");
      },
      { discrete: true },
    );
    sync(doc, client.doc);
    expect(readParagraphs(doc, { nodes: [NoteNode] })).toEqual(["plain", "a note"]);
    expect(() => readParagraphs(doc)).toThrow(UnreadableDocumentError);
    const content = readContent(doc);
    expect(!content.readable && content.reason).toMatch(/test-note/);
  });
});
