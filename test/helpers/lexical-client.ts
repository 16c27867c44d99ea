/**
 * A "browser-like" Lexical client for Node tests: a headless Lexical editor bound to a Y.Doc through
 * @lexical/yjs, wired as `useYjsCollaboration` (@lexical/react 0.52) wires a browser editor, with
 * MarkNode registered as the browser editor registers it. Give it a provider (e.g. y-websocket's) to
 * talk to a real sync server, or none to exchange updates by hand.
 */
import { createHeadlessEditor } from "@lexical/headless";
import { $isMarkNode, MarkNode } from "@lexical/mark";
import { createBinding, syncLexicalUpdateToYjs, syncYjsChangesToLexical, type Provider } from "@lexical/yjs";
import {
  $createRangeSelection,
  $getRoot,
  $isElementNode,
  $setSelection,
  SKIP_COLLAB_TAG,
  type LexicalEditor,
  type LexicalNode,
} from "lexical";
import * as Y from "yjs";
import { $textPointToPoint, type TextPoint, type TextRange } from "../../server/documents/text-anchors";

const noop = (): void => {};

export function noopProvider(): Provider {
  return {
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
}

export interface LexicalClient {
  editor: LexicalEditor;
  doc: Y.Doc;
  errors: Error[];
  paragraphs(): string[];
  /** Mark id -> text it covers, as this client renders it. */
  marks(): Map<string, string>;
  insertText(at: TextPoint, text: string): void;
  deleteRange(range: TextRange): void;
  destroy(): void;
}

export function createLexicalClient(opts: { doc?: Y.Doc; provider?: Provider; id?: string } = {}): LexicalClient {
  const doc = opts.doc ?? new Y.Doc();
  const id = opts.id ?? "client";
  const provider = opts.provider ?? noopProvider();
  const errors: Error[] = [];
  const editor = createHeadlessEditor({ namespace: "test-client", nodes: [MarkNode], onError: (e) => errors.push(e) });
  const binding = createBinding(editor, provider, id, doc, new Map([[id, doc]]));
  const shared = binding.root.getSharedType();
  const observer = (events: Array<Y.YEvent<Y.AbstractType<unknown>>>, transaction: Y.Transaction) => {
    if (transaction.origin !== binding) {
      syncYjsChangesToLexical(binding, provider, events as Array<Y.YEvent<Y.Text>>, false);
    }
  };
  shared.observeDeep(observer);
  const removeListener = editor.registerUpdateListener((p) => {
    if (!p.tags.has(SKIP_COLLAB_TAG)) {
      syncLexicalUpdateToYjs(binding, provider, p.prevEditorState, p.editorState, p.dirtyElements, p.dirtyLeaves, p.normalizedNodes, p.tags);
    }
  });

  /** Commit pending remote changes first: a local edit batched with a remote one would not reach Yjs. */
  const settle = () => editor.read(noop);

  const select = (range: TextRange) => {
    const start = $textPointToPoint(range.start, "start");
    const end = $textPointToPoint(range.end, "end");
    if (!start || !end) throw new Error(`no such range ${JSON.stringify(range)}`);
    const selection = $createRangeSelection();
    selection.anchor.set(start.key, start.offset, start.type);
    selection.focus.set(end.key, end.offset, end.type);
    $setSelection(selection);
    return selection;
  };

  return {
    editor,
    doc,
    errors,
    paragraphs() {
      settle();
      return editor.read(() => $getRoot().getChildren().map((n) => n.getTextContent()));
    },
    marks() {
      settle();
      return editor.read(() => {
        const found = new Map<string, string>();
        const visit = (node: LexicalNode) => {
          if ($isMarkNode(node) && node.getTextContentSize() > 0) {
            for (const markId of node.getIDs()) found.set(markId, (found.get(markId) ?? "") + node.getTextContent());
          }
          if ($isElementNode(node)) node.getChildren().forEach(visit);
        };
        visit($getRoot());
        return found;
      });
    },
    insertText(at, text) {
      settle();
      // Typed as a keyboard would: at a caret, through the selection.
      editor.update(
        () => {
          const point = $textPointToPoint(at, at.offset === 0 ? "start" : "end");
          if (!point) throw new Error(`no such point ${JSON.stringify(at)}`);
          const selection = $createRangeSelection();
          selection.anchor.set(point.key, point.offset, point.type);
          selection.focus.set(point.key, point.offset, point.type);
          $setSelection(selection);
          selection.insertText(text);
        },
        { discrete: true },
      );
    },
    deleteRange(range) {
      settle();
      editor.update(
        () => {
          select(range).removeText();
        },
        { discrete: true },
      );
    },
    destroy() {
      removeListener();
      shared.unobserveDeep(observer);
    },
  };
}

/** Exchange the missing state both ways, as a sync protocol would. */
export function syncDocs(a: Y.Doc, b: Y.Doc): void {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)), "remote");
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)), "remote");
}
