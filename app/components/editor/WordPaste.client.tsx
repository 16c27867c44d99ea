import { useEffect } from "react";
import { $insertDataTransferForRichText } from "@lexical/clipboard";
import { useLexicalComposerContext } from "@lexical/react/LexicalComposerContext";
import { $getSelection, COMMAND_PRIORITY_HIGH, PASTE_COMMAND } from "lexical";
import { isFromWord, wordListsToHtmlLists } from "./word-paste";

const STYLE_ELEMENT = /<style[\s>]/i;
const STYLE_ELEMENTS = /<style[\s\S]*?<\/style\s*>/gi;

/**
 * Turns Word's list paragraphs into real lists before Lexical imports a paste; everything else
 * (emphasis, headings, links, Google Docs' lists, dropping styles and images) is Lexical's own.
 */
export function WordPastePlugin() {
  const [editor] = useLexicalComposerContext();
  useEffect(
    () =>
      editor.registerCommand(
        PASTE_COMMAND,
        (event) => {
          const data = "clipboardData" in event ? (event as ClipboardEvent).clipboardData : null;
          const html = data?.getData("text/html") ?? "";
          if (!data || !html || !(isFromWord(html) || STYLE_ELEMENT.test(html)) || !editor.isEditable()) return false;
          // A <style> element in the pasted HTML (Word and Excel send one) would be refused by our
          // Content-Security-Policy when parsed here, and reported; its rules are dropped anyway.
          const doc = new DOMParser().parseFromString(html.replace(STYLE_ELEMENTS, ""), "text/html");
          wordListsToHtmlLists(doc);
          const cleaned = new DataTransfer();
          cleaned.setData("text/html", doc.body.innerHTML);
          cleaned.setData("text/plain", data.getData("text/plain"));
          event.preventDefault();
          editor.update(
            () => {
              const selection = $getSelection();
              if (selection) $insertDataTransferForRichText(cleaned, selection, editor);
            },
            { tag: "paste" },
          );
          return true;
        },
        COMMAND_PRIORITY_HIGH,
      ),
    [editor],
  );
  return null;
}
