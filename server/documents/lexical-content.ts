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
import { createHeadlessEditor } from "@lexical/headless";
import {
  createBinding,
  syncLexicalUpdateToYjs,
  syncYjsChangesToLexical,
  type Binding,
  type Provider,
  type ProviderAwareness,
} from "@lexical/yjs";
import {
  $createLineBreakNode,
  $createParagraphNode,
  $createTabNode,
  $createTextNode,
  $getRoot,
  HISTORY_MERGE_TAG,
  SKIP_COLLAB_TAG,
  type Klass,
  type LexicalEditor,
  type LexicalNode,
  type LexicalNodeReplacement,
  type ParagraphNode,
} from "lexical";
import * as Y from "yjs";

/** Lexical node classes (or replacements) to register, beyond the core ones Lexical always has. */
export type LexicalNodes = ReadonlyArray<Klass<LexicalNode> | LexicalNodeReplacement>;

export interface LexicalContentOptions {
  /**
   * Extra node types the browser editor registers (e.g. HeadingNode, ListNode). Core nodes (root,
   * paragraph, text, line break, tab) are always available. A document containing a node type that is
   * not registered here cannot be read: the call throws. Default: none (paragraph-only documents).
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

/** Key of the doc in the binding's docMap (the React plugin uses the `id` prop; the value only matters locally). */
const BINDING_ID = "lexical-content";

const noop = (): void => {};

/** A provider that never connects: the headless editor only needs `awareness` to exist. */
function createNoopProvider(): Provider {
  const awareness: ProviderAwareness = {
    getLocalState: () => null,
    getStates: () => new Map(),
    off: noop,
    on: noop,
    setLocalState: noop,
    setLocalStateField: noop,
  };
  return { awareness, connect: noop, disconnect: noop, off: noop, on: noop };
}

interface HeadlessSession {
  editor: LexicalEditor;
  binding: Binding;
  /** Private scratch doc the editor is bound to. */
  doc: Y.Doc;
  /** Throws the first error Lexical reported since the session opened (Lexical routes update errors to onError). */
  check(): void;
  dispose(): void;
}

/**
 * A headless Lexical editor bound to a fresh Y.Doc, wired both ways the way `useYjsCollaboration`
 * in `@lexical/react` wires a browser editor.
 */
function openSession(nodes: LexicalNodes = []): HeadlessSession {
  const errors: Error[] = [];
  const editor = createHeadlessEditor({
    namespace: "codesign-lexical-content",
    nodes,
    onError: (error) => {
      errors.push(error);
    },
  });
  const doc = new Y.Doc();
  const provider = createNoopProvider();
  const binding = createBinding(editor, provider, BINDING_ID, doc, new Map([[BINDING_ID, doc]]));
  const sharedRoot = binding.root.getSharedType();

  // Remote (non-binding) Yjs changes -> Lexical, as in useYjsCollaboration.
  const onYjsTreeChanges = (events: Array<Y.YEvent<Y.AbstractType<unknown>>>, transaction: Y.Transaction): void => {
    if (transaction.origin !== binding) {
      // isFromUndoManager = false: there is no UndoManager on the server.
      syncYjsChangesToLexical(binding, provider, events as Array<Y.YEvent<Y.Text>>, false);
    }
  };
  sharedRoot.observeDeep(onYjsTreeChanges);

  // Lexical changes -> Yjs (in one transaction with origin `binding`), as in useYjsCollaboration.
  const removeUpdateListener = editor.registerUpdateListener(
    ({ prevEditorState, editorState, dirtyLeaves, dirtyElements, normalizedNodes, tags }) => {
      if (!tags.has(SKIP_COLLAB_TAG)) {
        syncLexicalUpdateToYjs(
          binding,
          provider,
          prevEditorState,
          editorState,
          dirtyElements,
          dirtyLeaves,
          normalizedNodes,
          tags,
        );
      }
    },
  );

  return {
    editor,
    binding,
    doc,
    check() {
      if (errors.length > 0) {
        const [first] = errors;
        throw new Error(`Lexical reported an error: ${first.message}`, { cause: first });
      }
    },
    dispose() {
      removeUpdateListener();
      sharedRoot.unobserveDeep(onYjsTreeChanges);
      binding.root.destroy(binding);
      doc.destroy();
    },
  };
}

/** Load a doc's current state into the session (as a remote update, like a provider's sync would). */
function loadState(session: HeadlessSession, source: Y.Doc): void {
  Y.applyUpdate(session.doc, Y.encodeStateAsUpdate(source));
  // syncYjsChangesToLexical schedules its editor.update; force the commit now (and run any
  // follow-up updates it queued) so the editor state reflects the doc synchronously.
  session.editor.update(noop, { discrete: true });
  session.check();
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
  const session = openSession(options.nodes);
  try {
    loadState(session, doc);
    return session.editor.read(() =>
      $getRoot()
        .getChildren()
        .map((block) => block.getTextContent()),
    );
  } finally {
    session.dispose();
  }
}

/** The document's text: its top-level blocks joined by a blank line ("\n\n"). */
export function plainText(doc: Y.Doc, options: LexicalContentOptions = {}): string {
  return readParagraphs(doc, options).join("\n\n");
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
  const session = openSession(options.nodes);
  try {
    loadState(session, doc);
    const before = Y.encodeStateVector(doc);
    writeParagraphs(session, paragraphs);
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(session.doc, before), options.origin ?? SERVER_CONTENT_ORIGIN);
  } finally {
    session.dispose();
  }
}
