/**
 * The headless Lexical session, written once: a Lexical editor without a DOM, bound through
 * `@lexical/yjs` to a private scratch Y.Doc and wired both ways the way `useYjsCollaboration` in
 * `@lexical/react` wires a browser editor (Lexical's documented headless collaboration recipe).
 * lexical-content.ts (reads, whole-text writes, comment marks) and lexical-range-edit.ts
 * (suggestions) both run their edits in one.
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
import { SKIP_COLLAB_TAG, type Klass, type LexicalEditor, type LexicalNode, type LexicalNodeReplacement } from "lexical";
import * as Y from "yjs";
import { EDITOR_NODES } from "./editor-nodes";

// A document read on the server and dropped again needs no unique guid (it is never a subdocument
// and never sent); the default draws a random UUID, which at 2,000 actions was a tenth of a plan
// page's render.
const TRANSIENT_GUID = "server-read";

type Nodes = ReadonlyArray<Klass<LexicalNode> | LexicalNodeReplacement>;

/** Key of the doc in the binding's docMap (the React plugin uses the `id` prop; the value only matters locally). */
const BINDING_ID = "lexical-content";

export const noop = (): void => {};

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

export interface HeadlessSession {
  editor: LexicalEditor;
  binding: Binding;
  /** Private scratch doc the editor is bound to. */
  doc: Y.Doc;
  /** Throws the first error Lexical reported since the session opened (Lexical routes update errors to onError). */
  check(): void;
  dispose(): void;
}

/** A session registering the editor's nodes (editor-nodes.ts) and any `extraNodes`. */
export function openSession(extraNodes: Nodes = []): HeadlessSession {
  const errors: Error[] = [];
  const nodes = [...EDITOR_NODES, ...extraNodes.filter((n) => !EDITOR_NODES.includes(n))];
  const editor = createHeadlessEditor({
    namespace: "codesign-lexical-content",
    nodes,
    onError: (error) => {
      errors.push(error);
    },
  });
  const doc = new Y.Doc({ guid: TRANSIENT_GUID });
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
export function loadState(session: HeadlessSession, source: Y.Doc): void {
  Y.applyUpdate(session.doc, Y.encodeStateAsUpdate(source));
  // syncYjsChangesToLexical schedules its editor.update; force the commit now (and run any
  // follow-up updates it queued) so the editor state reflects the doc synchronously.
  session.editor.update(noop, { discrete: true });
  session.check();
}
