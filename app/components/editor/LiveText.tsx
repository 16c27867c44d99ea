import { lazy, Suspense, useEffect, useRef, useState } from "react";
import type { CollaborativeEditorProps } from "./CollaborativeEditor.client";
import { UNREADABLE_NOTICE } from "../../../server/documents/unreadable-notice";

const CollaborativeEditor = lazy(() => import("./CollaborativeEditor.client"));

/**
 * Server render and first paint show the stored text; the live editor replaces it once the
 * page has hydrated (Lexical is browser-only) and the text is near the viewport: a plan of a
 * hundred actions opens a live connection only for what is being read, and keeps it after.
 */
export function LiveText(props: CollaborativeEditorProps & { initialText: string; unreadable?: boolean }) {
  const [live, setLive] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (props.unreadable) return;
    if (!el || typeof IntersectionObserver === "undefined") {
      setLive(true);
      return;
    }
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) {
          setLive(true);
          observer.disconnect();
        }
      },
      { rootMargin: "600px 0px" },
    );
    observer.observe(el);
    return () => observer.disconnect();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  if (props.unreadable) {
    // The stored document is not one the editor can read: no editor is mounted on it, and the
    // rest of the page is unaffected. Restoring a version repairs it.
    return (
      <div className="editor editor--static editor--unreadable" data-doc-id={props.docId} data-live="false">
        <p className="notice notice--warning">{UNREADABLE_NOTICE}</p>
      </div>
    );
  }
  const fallback = (
    <div className="editor editor--static" ref={ref} data-doc-id={props.docId} data-live="false">
      {(props.initialText || "").split(/\n{2,}/).map((p, i) => (
        <p key={i} className="editor-paragraph">
          {p}
        </p>
      ))}
    </div>
  );
  if (!live) return fallback;
  const { initialText: _t, unreadable: _u, ...editorProps } = props;
  return (
    <Suspense fallback={fallback}>
      <CollaborativeEditor {...editorProps} />
    </Suspense>
  );
}
