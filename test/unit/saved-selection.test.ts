/**
 * Issue 14 (known bug in the link form): after a refused address, saving a good one linked the
 * address instead of the selected words. The saved selection named nodes the collaboration
 * binding had since replaced with equal ones under new keys. It is now rebuilt from character
 * offsets when its nodes are gone.
 */
import { createHeadlessEditor } from "@lexical/headless";
import { $isLinkNode, $toggleLink, LinkNode } from "@lexical/link";
import { $createParagraphNode, $createRangeSelection, $createTextNode, $getRoot, $getSelection, $isRangeSelection, $setSelection, type LexicalEditor } from "lexical";
import { describe, expect, it } from "vitest";
import { $restoreSelection, $saveSelection, isCollapsedSelection, type SavedSelection } from "../../app/components/editor/saved-selection";

function editorWith(paragraphs: string[]): LexicalEditor {
  const editor = createHeadlessEditor({ namespace: "saved-selection", nodes: [LinkNode], onError: (e) => { throw e; } });
  editor.update(
    () => {
      for (const words of paragraphs) $getRoot().append($createParagraphNode().append($createTextNode(words)));
    },
    { discrete: true },
  );
  return editor;
}

/** Selects `from`..`to` of paragraph `block` (backwards, as Shift+Home does) and saves it. */
function selectAndSave(editor: LexicalEditor, block: number, from: number, to: number): SavedSelection {
  let saved: SavedSelection | null = null;
  editor.update(
    () => {
      const text = $getRoot().getChildAtIndex<ReturnType<typeof $createParagraphNode>>(block)!.getFirstChild()!;
      const s = $createRangeSelection();
      s.anchor.set(text.getKey(), to, "text");
      s.focus.set(text.getKey(), from, "text");
      $setSelection(s);
      saved = $saveSelection($getSelection());
    },
    { discrete: true },
  );
  return saved!;
}

/** What the collaboration binding may do while the form is open: equal nodes, new keys. */
function replaceEveryNode(editor: LexicalEditor) {
  editor.update(
    () => {
      for (const p of $getRoot().getChildren()) {
        p.replace($createParagraphNode().append($createTextNode(p.getTextContent())));
      }
      $setSelection(null);
    },
    { discrete: true },
  );
}

function linkThere(editor: LexicalEditor, saved: SavedSelection, url: string) {
  editor.update(
    () => {
      $restoreSelection(saved);
      // What TOGGLE_LINK_COMMAND runs, on the selection just restored.
      $toggleLink(url);
    },
    { discrete: true },
  );
}

const links = (editor: LexicalEditor) =>
  editor.getEditorState().read(() =>
    $getRoot()
      .getAllTextNodes()
      .filter((t) => $isLinkNode(t.getParent()))
      .map((t) => [t.getTextContent(), (t.getParent() as LinkNode).getURL()]),
  );

describe("the link form's saved selection", () => {
  it("links the selected words when the nodes are unchanged", () => {
    const editor = editorWith(["Next steps", "Read the guide"]);
    const saved = selectAndSave(editor, 1, 0, 14);
    expect(isCollapsedSelection(saved)).toBe(false);
    linkThere(editor, saved, "https://example.org/guide");
    expect(links(editor)).toEqual([["Read the guide", "https://example.org/guide"]]);
  });

  it("still links the selected words after the nodes were replaced under new keys", () => {
    const editor = editorWith(["Next steps", "Please Read the guide today"]);
    const saved = selectAndSave(editor, 1, 7, 21);
    replaceEveryNode(editor);
    linkThere(editor, saved, "https://example.org/guide");
    expect(links(editor)).toEqual([["Read the guide", "https://example.org/guide"]]);
    expect(editor.getEditorState().read(() => $getRoot().getTextContent())).toBe("Next steps\n\nPlease Read the guide today");
    const selected = editor.getEditorState().read(() => {
      const s = $getSelection();
      return $isRangeSelection(s) ? s.getTextContent() : null;
    });
    expect(selected).toBe("Read the guide");
  });
});
