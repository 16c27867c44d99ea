import { lazy, Suspense, useEffect, useRef, useState } from "react";
import type { CollaborativeEditorProps } from "./CollaborativeEditor.client";

const CollaborativeEditor = lazy(() => import("./CollaborativeEditor.client"));

/**
 * Server render and first paint show the stored text; the live editor replaces it once the
 * page has hydrated (Lexical is browser-only) and the text is near the viewport: a plan of a
 * hundred actions opens a live connection only for what is being read, and keeps it after.
 */
export function LiveText(props: CollaborativeEditorProps & { initialText: string }) {
  const [live, setLive] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current;
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
  }, []);
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
  const { initialText: _t, ...editorProps } = props;
  return (
    <Suspense fallback={fallback}>
      <CollaborativeEditor {...editorProps} />
    </Suspense>
  );
}
