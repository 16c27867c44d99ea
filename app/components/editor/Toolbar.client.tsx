/**
 * The formatting toolbar, following the WAI-ARIA toolbar pattern: one tab stop (roving tabindex),
 * arrow keys, Home and End move between buttons, toggles say their state with aria-pressed, and
 * Alt+F10 in the text moves to the toolbar. Formatting returns focus to the text, as in word
 * processors; the link button opens a small form instead of window.prompt.
 *
 * Also here, because they belong to the same buttons: Ctrl+K for links, the markdown shortcuts
 * ("- ", "* ", "1. ", "## ", "### " at the start of a paragraph) and the clean-up of pasted
 * content (only bold, italic and underline survive from Word or Google Docs; lists and links are
 * kept by the registered nodes, anything else arrives as plain paragraphs).
 */
import { useCallback, useEffect, useId, useRef, useState, type KeyboardEvent as ReactKeyboardEvent } from "react";
import { useLexicalComposerContext } from "@lexical/react/LexicalComposerContext";
import { $isLinkNode, $createLinkNode, TOGGLE_LINK_COMMAND, type LinkNode } from "@lexical/link";
import { $insertList, $isListNode, INSERT_ORDERED_LIST_COMMAND, INSERT_UNORDERED_LIST_COMMAND, REMOVE_LIST_COMMAND, type ListNode } from "@lexical/list";
import { $createHeadingNode, $isHeadingNode, type HeadingTagType } from "@lexical/rich-text";
import { $setBlocksType } from "@lexical/selection";
import { $restoreSelection, $saveSelection, isCollapsedSelection, type SavedSelection } from "./saved-selection";
import {
  $createParagraphNode,
  $createTextNode,
  $getRoot,
  $getSelection,
  $isElementNode,
  $isParagraphNode,
  $isRangeSelection,
  $isTextNode,
  $setSelection,
  CAN_REDO_COMMAND,
  CAN_UNDO_COMMAND,
  COMMAND_PRIORITY_HIGH,
  COMMAND_PRIORITY_LOW,
  FORMAT_TEXT_COMMAND,
  KEY_DOWN_COMMAND,
  KEY_SPACE_COMMAND,
  REDO_COMMAND,
  SELECTION_CHANGE_COMMAND,
  SELECTION_INSERT_CLIPBOARD_NODES_COMMAND,
  UNDO_COMMAND,
  mergeRegister,
  type BaseSelection,
  type LexicalNode,
  type TextFormatType,
  $createRangeSelectionFromDom,
} from "lexical";

type Block = "paragraph" | "bullet" | "number" | "h2" | "h3";

interface ToolbarState {
  bold: boolean;
  italic: boolean;
  underline: boolean;
  block: Block;
  link: string | null;
  canUndo: boolean;
  canRedo: boolean;
}

const INITIAL: ToolbarState = { bold: false, italic: false, underline: false, block: "paragraph", link: null, canUndo: false, canRedo: false };

function $nearest<T extends LexicalNode>(node: LexicalNode, test: (n: LexicalNode) => n is T): T | null {
  for (let n: LexicalNode | null = node; n !== null; n = n.getParent()) if (test(n)) return n;
  return null;
}

function $readState(): Omit<ToolbarState, "canUndo" | "canRedo"> | null {
  const selection = $getSelection();
  if (!$isRangeSelection(selection)) return null;
  const anchor = selection.anchor.getNode();
  const list = $nearest(anchor, $isListNode) as ListNode | null;
  const top = anchor.getKey() === "root" ? null : anchor.getTopLevelElement();
  let block: Block = "paragraph";
  if (list) block = list.getListType() === "number" ? "number" : "bullet";
  else if ($isHeadingNode(top)) block = top.getTag() === "h3" ? "h3" : "h2";
  const link = $nearest(anchor, $isLinkNode) as LinkNode | null;
  return {
    bold: selection.hasFormat("bold"),
    italic: selection.hasFormat("italic"),
    underline: selection.hasFormat("underline"),
    block,
    link: link ? link.getURL() : null,
  };
}

/** An address a person typed, made into a link target; null when it cannot be one. */
export function linkTarget(typed: string): string | null {
  const text = typed.trim();
  if (text.length === 0 || /\s/.test(text)) return null;
  const withScheme = /^[a-z][a-z0-9+.-]*:/i.test(text) ? text : /^[^@/]+@[^@/]+\.[^@/]+$/.test(text) ? `mailto:${text}` : `https://${text}`;
  try {
    const url = new URL(withScheme);
    if (!["http:", "https:", "mailto:"].includes(url.protocol)) return null;
    if (url.protocol !== "mailto:" && !url.hostname.includes(".") && url.hostname !== "localhost") return null;
    return withScheme;
  } catch {
    return null;
  }
}

const SHORTCUTS: Record<string, Block> = { "-": "bullet", "*": "bullet", "1.": "number", "##": "h2", "###": "h3" };

function $setBlock(selection: BaseSelection | null, block: Block, current: Block) {
  if (block === "bullet" || block === "number") {
    if (current === block) $setBlocksType(selection, () => $createParagraphNode());
    else $insertList(block);
    return;
  }
  const tag: HeadingTagType | null = block === "paragraph" || block === current ? null : block;
  $setBlocksType(selection, () => (tag ? $createHeadingNode(tag) : $createParagraphNode()));
}

/** Only what the toolbar offers survives a paste: the rest of the formatting and styles are dropped. */
const KEPT_FORMATS: TextFormatType[] = ["bold", "italic", "underline"];

function $cleanPasted(node: LexicalNode): void {
  if ($isTextNode(node)) {
    const keep = KEPT_FORMATS.filter((f) => node.hasFormat(f));
    node.setFormat(0);
    for (const f of keep) node.toggleFormat(f);
    node.setStyle("");
    return;
  }
  if ($isHeadingNode(node) && node.getTag() !== "h2" && node.getTag() !== "h3") {
    // Word's Heading 1 is the page's title level here; h4 and below read as h3.
    const replacement = $createHeadingNode(node.getTag() === "h1" ? "h2" : "h3");
    replacement.append(...node.getChildren());
    node.replace(replacement);
    replacement.getChildren().forEach($cleanPasted);
    return;
  }
  if ($isElementNode(node)) {
    // Alignment, indents and styles are layout, not words: the toolbar offers none of them.
    node.setFormat("");
    node.setIndent(0);
    node.setStyle("");
    node.getChildren().forEach($cleanPasted);
  }
}

export function ToolbarPlugin({ label }: { label: string }) {
  const [editor] = useLexicalComposerContext();
  const [state, setState] = useState<ToolbarState>(INITIAL);
  const [focusIndex, setFocusIndex] = useState(0);
  const [linkForm, setLinkForm] = useState<{ url: string; error: string | null; existing: boolean } | null>(null);
  const savedSelection = useRef<SavedSelection | null>(null);
  const toolbarRef = useRef<HTMLDivElement>(null);
  const linkInputRef = useRef<HTMLInputElement>(null);
  const linkFormId = useId();

  const refresh = useCallback(() => {
    const next = editor.getEditorState().read($readState);
    if (next) setState((s) => ({ ...s, ...next }));
  }, [editor]);

  const openLinkForm = useCallback(() => {
    editor.read(() => {
      // The words selected on screen. A selection made a moment before (Shift+Home, then Ctrl+K)
      // reaches the editor's own state only when the browser's selectionchange event is handled,
      // which on a busy machine can come after the key: the form then saved a collapsed
      // selection and the address became the link's words.
      const root = editor.getRootElement();
      const dom = root ? root.ownerDocument.getSelection() : null;
      const inEditor = Boolean(dom?.anchorNode && dom.focusNode && root!.contains(dom.anchorNode) && root!.contains(dom.focusNode));
      const onScreen = inEditor ? $createRangeSelectionFromDom(dom, editor) : null;
      savedSelection.current = $saveSelection(onScreen ?? $getSelection());
    });
    const current = editor.getEditorState().read($readState);
    setLinkForm({ url: current?.link ?? "", error: null, existing: current?.link != null });
  }, [editor]);

  useEffect(() => {
    if (linkForm && document.activeElement !== linkInputRef.current) linkInputRef.current?.focus();
    // Only when the form opens.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [linkForm !== null]);

  useEffect(
    () =>
      mergeRegister(
        editor.registerUpdateListener(({ editorState }) => {
          const next = editorState.read($readState);
          if (next) setState((s) => ({ ...s, ...next }));
        }),
        editor.registerCommand(
          SELECTION_CHANGE_COMMAND,
          () => {
            refresh();
            return false;
          },
          COMMAND_PRIORITY_LOW,
        ),
        editor.registerCommand(CAN_UNDO_COMMAND, (canUndo) => (setState((s) => ({ ...s, canUndo })), false), COMMAND_PRIORITY_LOW),
        editor.registerCommand(CAN_REDO_COMMAND, (canRedo) => (setState((s) => ({ ...s, canRedo })), false), COMMAND_PRIORITY_LOW),
        editor.registerCommand(
          KEY_DOWN_COMMAND,
          (event) => {
            if ((event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey && event.key.toLowerCase() === "k") {
              event.preventDefault();
              openLinkForm();
              return true;
            }
            if (event.altKey && event.key === "F10") {
              event.preventDefault();
              toolbarRef.current?.querySelector<HTMLButtonElement>('button[tabindex="0"]')?.focus();
              return true;
            }
            return false;
          },
          COMMAND_PRIORITY_HIGH,
        ),
        editor.registerCommand(
          KEY_SPACE_COMMAND,
          (event) => {
            const selection = $getSelection();
            if (!$isRangeSelection(selection) || !selection.isCollapsed()) return false;
            const node = selection.anchor.getNode();
            const paragraph = node.getParent();
            if (!$isTextNode(node) || !$isParagraphNode(paragraph) || paragraph.getParent() !== $getRoot() || paragraph.getFirstChild() !== node) return false;
            const block = SHORTCUTS[node.getTextContent().slice(0, selection.anchor.offset)];
            if (!block) return false;
            event.preventDefault();
            node.spliceText(0, selection.anchor.offset, "", true);
            $setBlock($getSelection(), block, "paragraph");
            return true;
          },
          COMMAND_PRIORITY_HIGH,
        ),
        editor.registerCommand(
          SELECTION_INSERT_CLIPBOARD_NODES_COMMAND,
          ({ nodes }) => {
            nodes.forEach($cleanPasted);
            return false; // the rich-text plugin inserts them
          },
          COMMAND_PRIORITY_HIGH,
        ),
      ),
    [editor, refresh, openLinkForm],
  );

  const back = () => editor.focus();
  const format = (f: TextFormatType) => {
    editor.dispatchCommand(FORMAT_TEXT_COMMAND, f);
    back();
  };
  const block = (b: Block) => {
    if (b === "bullet" || b === "number") {
      editor.dispatchCommand(state.block === b ? REMOVE_LIST_COMMAND : b === "bullet" ? INSERT_UNORDERED_LIST_COMMAND : INSERT_ORDERED_LIST_COMMAND, undefined);
    } else {
      editor.update(() => $setBlock($getSelection(), b, state.block));
    }
    back();
  };

  const buttons: { key: string; text: string; name: string; pressed?: boolean; disabled?: boolean; shortcut?: string; run: () => void }[] = [
    { key: "bold", text: "B", name: "Bold", pressed: state.bold, shortcut: "Control+B", run: () => format("bold") },
    { key: "italic", text: "I", name: "Italic", pressed: state.italic, shortcut: "Control+I", run: () => format("italic") },
    { key: "underline", text: "U", name: "Underline", pressed: state.underline, shortcut: "Control+U", run: () => format("underline") },
    { key: "bullet", text: "• List", name: "Bulleted list", pressed: state.block === "bullet", run: () => block("bullet") },
    { key: "number", text: "1. List", name: "Numbered list", pressed: state.block === "number", run: () => block("number") },
    { key: "h2", text: "H2", name: "Heading", pressed: state.block === "h2", run: () => block("h2") },
    { key: "h3", text: "H3", name: "Subheading", pressed: state.block === "h3", run: () => block("h3") },
    { key: "link", text: "Link", name: state.link ? "Edit link" : "Link", pressed: state.link !== null, shortcut: "Control+K", run: openLinkForm },
    { key: "undo", text: "Undo", name: "Undo", disabled: !state.canUndo, shortcut: "Control+Z", run: () => (editor.dispatchCommand(UNDO_COMMAND, undefined), back()) },
    { key: "redo", text: "Redo", name: "Redo", disabled: !state.canRedo, shortcut: "Control+Y", run: () => (editor.dispatchCommand(REDO_COMMAND, undefined), back()) },
  ];

  const onToolbarKey = (event: ReactKeyboardEvent<HTMLDivElement>) => {
    const last = buttons.length - 1;
    const moves: Record<string, number> = { ArrowRight: focusIndex === last ? 0 : focusIndex + 1, ArrowLeft: focusIndex === 0 ? last : focusIndex - 1, Home: 0, End: last };
    if (!(event.key in moves)) return;
    event.preventDefault();
    const next = moves[event.key];
    setFocusIndex(next);
    toolbarRef.current?.querySelectorAll<HTMLButtonElement>("button")[next]?.focus();
  };

  const closeLinkForm = () => {
    setLinkForm(null);
    back();
  };
  const withSavedSelection = (fn: () => void) =>
    editor.update(() => {
      $restoreSelection(savedSelection.current);
      fn();
    });
  const saveLink = () => {
    if (!linkForm) return;
    const url = linkTarget(linkForm.url);
    if (!url) {
      setLinkForm({ ...linkForm, error: "Type a web address such as https://example.org, or an email address." });
      return;
    }
    withSavedSelection(() => {
      const selection = $getSelection();
      if (!$isRangeSelection(selection)) return;
      const existing = $nearest(selection.anchor.getNode(), $isLinkNode) as LinkNode | null;
      if (selection.isCollapsed()) {
        if (existing) existing.setURL(url);
        else {
          // Nothing selected: the address itself becomes the linked words.
          const link = $createLinkNode(url, { rel: "noopener noreferrer" });
          link.append($createTextNode(linkForm.url.trim()));
          selection.insertNodes([link]);
        }
      }
    });
    const collapsed = isCollapsedSelection(savedSelection.current);
    if (!collapsed) withSavedSelection(() => editor.dispatchCommand(TOGGLE_LINK_COMMAND, { url, rel: "noopener noreferrer" }));
    closeLinkForm();
  };
  const removeLink = () => {
    withSavedSelection(() => {
      const selection = $getSelection();
      if (!$isRangeSelection(selection)) return;
      const existing = $nearest(selection.anchor.getNode(), $isLinkNode) as LinkNode | null;
      if (selection.isCollapsed() && existing) {
        for (const child of existing.getChildren()) existing.insertBefore(child);
        existing.remove();
      } else {
        editor.dispatchCommand(TOGGLE_LINK_COMMAND, null);
      }
    });
    closeLinkForm();
  };

  return (
    <>
      <div className="editor-toolbar" role="toolbar" aria-label={`Formatting: ${label}`} ref={toolbarRef} onKeyDown={onToolbarKey}>
        {buttons.map((b, i) => (
          <button
            key={b.key}
            type="button"
            className={`editor-toolbar__button editor-toolbar__button--${b.key}`}
            tabIndex={i === focusIndex ? 0 : -1}
            aria-label={b.name}
            title={b.shortcut ? `${b.name} (${b.shortcut.replace("Control", "Ctrl")})` : b.name}
            aria-keyshortcuts={b.shortcut}
            aria-pressed={b.pressed === undefined ? undefined : b.pressed}
            aria-disabled={b.disabled ? true : undefined}
            aria-expanded={b.key === "link" ? linkForm !== null : undefined}
            aria-controls={b.key === "link" && linkForm ? linkFormId : undefined}
            // Keep the text's selection when clicked with a mouse.
            onMouseDown={(e) => e.preventDefault()}
            onFocus={() => setFocusIndex(i)}
            onClick={() => {
              if (!b.disabled) b.run();
            }}
          >
            {b.text}
          </button>
        ))}
      </div>
      {linkForm ? (
        <form
          id={linkFormId}
          className="editor-link-form"
          aria-label="Link"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            saveLink();
          }}
          onKeyDown={(e) => {
            if (e.key === "Escape") {
              e.preventDefault();
              closeLinkForm();
            }
          }}
        >
          <label htmlFor={`${linkFormId}-url`}>Link address</label>
          <input
            id={`${linkFormId}-url`}
            ref={linkInputRef}
            type="text"
            inputMode="url"
            autoComplete="url"
            value={linkForm.url}
            aria-invalid={linkForm.error ? true : undefined}
            aria-describedby={linkForm.error ? `${linkFormId}-error` : undefined}
            onChange={(e) => setLinkForm({ ...linkForm, url: e.target.value, error: null })}
          />
          <button type="submit">Save link</button>
          {linkForm.existing ? (
            <button type="button" onClick={removeLink}>
              Remove link
            </button>
          ) : null}
          <button type="button" onClick={closeLinkForm}>
            Cancel
          </button>
          {linkForm.error ? (
            <p id={`${linkFormId}-error`} className="field-error" role="alert">
              {linkForm.error}
            </p>
          ) : null}
        </form>
      ) : null}
    </>
  );
}
