import { useCallback, useEffect, useMemo, useRef } from "react";
import { LexicalCollaboration } from "@lexical/react/LexicalCollaborationContext";
import { CollaborationPlugin } from "@lexical/react/LexicalCollaborationPlugin";
import { LexicalComposer } from "@lexical/react/LexicalComposer";
import { useLexicalComposerContext } from "@lexical/react/LexicalComposerContext";
import { ContentEditable } from "@lexical/react/LexicalContentEditable";
import { LexicalErrorBoundary } from "@lexical/react/LexicalErrorBoundary";
import { LinkPlugin } from "@lexical/react/LexicalLinkPlugin";
import { ListPlugin } from "@lexical/react/LexicalListPlugin";
import { RichTextPlugin } from "@lexical/react/LexicalRichTextPlugin";
import { EDITOR_NODES } from "../../../server/documents/editor-nodes";
import { syncCursorPositions, type Provider } from "@lexical/yjs";
import type * as Y from "yjs";
import { CommentMarksPlugin, type CommentMarkProps } from "./CommentMarks.client";
import { createProvider } from "./providers.client";
import { linkTarget, ToolbarPlugin } from "./Toolbar.client";
import { WordPastePlugin } from "./WordPaste.client";

// Class names only (styles.css): the same look for editors and read-only viewers.
const THEME = {
  paragraph: "editor-paragraph",
  heading: { h2: "editor-h2", h3: "editor-h3" },
  list: { ul: "editor-ul", ol: "editor-ol", listitem: "editor-li", nested: { listitem: "editor-li--nested" } },
  link: "editor-link",
  text: { bold: "editor-bold", italic: "editor-italic", underline: "editor-underline" },
  mark: "comment-mark",
  markOverlap: "comment-mark--overlap",
};

const validateUrl = (url: string) => linkTarget(url) === url;

export interface CollaborativeEditorProps {
  docId: string;
  label: string;
  editable: boolean;
  userName: string;
  userColor: string;
  /** Comment threads anchored in this text (marks carrying their ids), and selection reporting. */
  comments?: CommentMarkProps;
  /** Signed-in user: names the browser store that keeps this document for offline editing. */
  userId?: number;
}

function EditableSync({ editable }: { editable: boolean }) {
  const [editor] = useLexicalComposerContext();
  useEffect(() => editor.setEditable(editable), [editor, editable]);
  return null;
}

/**
 * One live rich-text body. Content always comes from the server (shouldBootstrap is off:
 * bootstrapping from several browsers at once duplicates paragraphs).
 */
export default function CollaborativeEditor({ docId, label, editable, userName, userColor, comments, userId }: CollaborativeEditorProps) {
  const initialConfig = useMemo(
    () => ({
      namespace: `doc-${docId}`,
      editorState: null,
      editable,
      onError(error: Error) {
        console.error(error);
      },
      // One list for the browser, the server's readers and the sync server's shape check.
      nodes: [...EDITOR_NODES],
      theme: THEME,
    }),
    // The editor is created once per document; editability changes go through EditableSync.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [docId],
  );
  // Read through a ref so the factory stays stable (a new factory reconnects the plugin).
  const storeFor = useRef({ userId, editable });
  storeFor.current = { userId, editable };
  const providerFactory = useCallback(
    (id: string, yjsDocMap: Map<string, Y.Doc>) => createProvider(id, yjsDocMap, storeFor.current) as unknown as Provider,
    [],
  );
  // Other people's carets live in the editor's own box (positioned relative to it), so that a
  // card opening above, a banner or a filter moving the text moves them with it; when the text
  // itself reflows (the window or the phone turns), they are placed again.
  const cursors = useRef<HTMLDivElement>(null);
  const frame = useRef<HTMLDivElement>(null);
  const placeCursors = useRef<(() => void) | null>(null);
  const syncCursors = useCallback((...args: Parameters<typeof syncCursorPositions>) => {
    placeCursors.current = () => syncCursorPositions(...args);
    syncCursorPositions(...args);
  }, []);
  useEffect(() => {
    const box = frame.current;
    if (!box || typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver(() => placeCursors.current?.());
    observer.observe(box);
    return () => observer.disconnect();
  }, []);
  return (
    <LexicalCollaboration>
      <LexicalComposer initialConfig={initialConfig}>
        <div className={`editor ${editable ? "" : "editor--readonly"}`} ref={frame}>
          {editable ? <ToolbarPlugin label={label} /> : null}
          <RichTextPlugin
            contentEditable={
              <ContentEditable
                className="editor-input"
                aria-label={label}
                aria-readonly={!editable}
                aria-multiline
                data-doc-id={docId}
              />
            }
            ErrorBoundary={LexicalErrorBoundary}
          />
          <CollaborationPlugin
            id={docId}
            providerFactory={providerFactory}
            shouldBootstrap={false}
            username={userName}
            cursorColor={userColor}
            cursorsContainerRef={cursors}
            syncCursorPositionsFn={syncCursors}
          />
          <div ref={cursors} className="editor-cursors" />
          <ListPlugin />
          <LinkPlugin validateUrl={validateUrl} attributes={{ rel: "noopener noreferrer" }} />
          <EditableSync editable={editable} />
          <WordPastePlugin />
          {comments ? <CommentMarksPlugin docId={docId} {...comments} /> : null}
        </div>
      </LexicalComposer>
    </LexicalCollaboration>
  );
}
