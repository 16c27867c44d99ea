import { useEffect, useRef } from "react";
import { $isMarkNode, MarkNode } from "@lexical/mark";
import { useLexicalComposerContext } from "@lexical/react/LexicalComposerContext";
import { $createRangeSelectionFromDom, $getNodeByKey, type NodeKey } from "lexical";
import { $readMarks } from "../../../server/documents/mark-texts";
import { allProviders, subscribeProviders } from "./providers.client";
import { $blockTexts, $pointToTextPoint, compareTextPoints, textOfRange, type TextRange } from "../../../server/documents/text-anchors";

/** A selection in the text, in the terms the server checks: block/offset range plus the words. */
export interface SelectedText {
  range: TextRange;
  quote: string;
}

export interface CommentMarkProps {
  /** Thread id -> status; marks of open threads are highlighted, others shown as plain text. */
  threadStatuses: Record<string, "open" | "resolved">;
  activeThreadId: string | null;
  onSelection(selection: SelectedText | null): void;
  onActivate(threadIds: string[]): void;
  /**
   * Thread id -> the words under its marks now, after every change (a partner typing included),
   * once the document is in step with the server; a thread absent from the map is detached.
   */
  onAnchors?(marks: Map<string, string>): void;
}

/**
 * The editor side of comments. Marks come from the server (only thread ids live in the text); this
 * plugin styles them by their thread's status, reports clicks on them, and turns the reader's
 * selection (also in a read-only editor, where Lexical keeps no selection of its own) into the
 * block/offset range and quote the server checks before it adds a mark.
 */
export function CommentMarksPlugin({
  docId,
  threadStatuses,
  activeThreadId,
  onSelection,
  onActivate,
  onAnchors,
}: CommentMarkProps & { docId: string }) {
  const [editor] = useLexicalComposerContext();
  const marks = useRef(new Map<NodeKey, string[]>());
  const latest = useRef({ threadStatuses, activeThreadId, onSelection, onActivate, onAnchors });
  latest.current = { threadStatuses, activeThreadId, onSelection, onActivate, onAnchors };

  useEffect(() => {
    // Until the first sync the editor is empty: every thread would look detached for a moment.
    let reported = "";
    const report = () => {
      const provider = allProviders().find((p) => p.roomname === docId);
      if (!latest.current.onAnchors || !provider?.synced) return;
      const now = editor.getEditorState().read($readMarks);
      const key = JSON.stringify([...now].sort(([a], [b]) => a.localeCompare(b)));
      if (key === reported) return;
      reported = key;
      latest.current.onAnchors(now);
    };
    const unregister = editor.registerUpdateListener(report);
    const unsubscribe = subscribeProviders(report);
    report();
    return () => {
      unregister();
      unsubscribe();
    };
  }, [editor, docId]);

  const paint = () => {
    const { threadStatuses: statuses, activeThreadId: active } = latest.current;
    for (const [key, ids] of marks.current) {
      const el = editor.getElementByKey(key);
      if (!el) continue;
      const open = ids.filter((id) => statuses[id] === "open");
      el.classList.toggle("comment-mark--open", open.length > 0);
      el.classList.toggle("comment-mark--active", active !== null && ids.includes(active));
      if (open.length > 0) el.setAttribute("data-thread-ids", open.join(" "));
      else el.removeAttribute("data-thread-ids");
    }
  };

  useEffect(
    () =>
      editor.registerMutationListener(
        MarkNode,
        (mutations) => {
          editor.getEditorState().read(() => {
            for (const [key, mutation] of mutations) {
              if (mutation === "destroyed") {
                marks.current.delete(key);
                continue;
              }
              const node = $getNodeByKey(key);
              if ($isMarkNode(node)) marks.current.set(key, node.getIDs());
            }
          });
          paint();
        },
        { skipInitialization: false },
      ),
    // paint reads refs only.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [editor],
  );

  useEffect(paint, [threadStatuses, activeThreadId]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    const onClick = (event: MouseEvent) => {
      const target = event.target instanceof Element ? event.target.closest("mark") : null;
      if (!target) return;
      for (const [key, ids] of marks.current) {
        if (editor.getElementByKey(key) === target) {
          const open = ids.filter((id) => latest.current.threadStatuses[id] === "open");
          if (open.length > 0) latest.current.onActivate(open);
          return;
        }
      }
    };
    const onSelectionChange = () => {
      const root = editor.getRootElement();
      const dom = window.getSelection();
      if (!root || !dom || dom.rangeCount === 0 || !dom.anchorNode || !dom.focusNode) return;
      // A selection elsewhere (e.g. in the comment box) keeps the one made in the text.
      if (!root.contains(dom.anchorNode) || !root.contains(dom.focusNode)) return;
      if (dom.isCollapsed) {
        latest.current.onSelection(null);
        return;
      }
      let selected: SelectedText | null = null;
      try {
        selected = editor.read(() => {
          const selection = $createRangeSelectionFromDom(dom, editor);
          if (!selection) return null;
          const a = $pointToTextPoint(selection.anchor);
          const b = $pointToTextPoint(selection.focus);
          if (!a || !b) return null;
          const range = compareTextPoints(a, b) <= 0 ? { start: a, end: b } : { start: b, end: a };
          const quote = textOfRange($blockTexts(), range);
          return quote && quote.trim().length > 0 ? { range, quote } : null;
        });
      } catch {
        selected = null;
      }
      latest.current.onSelection(selected);
    };
    document.addEventListener("selectionchange", onSelectionChange);
    const root = editor.getRootElement();
    root?.addEventListener("click", onClick);
    const unregister = editor.registerRootListener((next, prev) => {
      prev?.removeEventListener("click", onClick);
      next?.addEventListener("click", onClick);
    });
    return () => {
      document.removeEventListener("selectionchange", onSelectionChange);
      editor.getRootElement()?.removeEventListener("click", onClick);
      unregister();
    };
  }, [editor]);

  return null;
}
