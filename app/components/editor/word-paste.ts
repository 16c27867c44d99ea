/**
 * Pasting from Word keeps its lists (issue 14). Word puts a bulleted or numbered list on the
 * clipboard as paragraphs styled `mso-list:l0 level1 lfo1`, each starting with its marker ("·",
 * "1.", "a)") in a span styled `mso-list:Ignore`, not as <ul>/<ol>. Lexical's own HTML import
 * (which keeps emphasis, headings, links and real lists, as Google Docs sends them, and drops the
 * rest) would make those plain paragraphs starting with a dot. This turns them into real, nested
 * lists first. Pure DOM work on the pasted document: the page and the unit tests share it.
 */

/** Whether pasted HTML comes from Word (or Outlook), whose lists need this. */
export function isFromWord(html: string): boolean {
  return /urn:schemas-microsoft-com:office|class=["']?Mso|mso-list/i.test(html);
}

const LIST_STYLE = /mso-list:\s*(l\d+)\s+level(\d+)/i;
const ORDERED_MARKER = /^\s*(\d+|[a-z]|[ivxlc]+)[.)]\s*$/i;

interface OpenList {
  element: HTMLElement;
  level: number;
}

/** Rewrites Word's list paragraphs in `doc` into <ul>/<ol> with <li>, nested by their level. */
export function wordListsToHtmlLists(doc: Document): void {
  const paragraphs = [...doc.querySelectorAll<HTMLElement>("p")].filter((p) => LIST_STYLE.test(p.getAttribute("style") ?? ""));
  let open: OpenList[] = [];
  let last: HTMLElement | null = null;
  for (const p of paragraphs) {
    const [, , levelText] = LIST_STYLE.exec(p.getAttribute("style") ?? "")!;
    const level = Math.max(1, Math.min(9, Number(levelText)));
    const marker = takeMarker(p);
    const ordered = ORDERED_MARKER.test(marker);
    // A list continues only over paragraphs that follow each other.
    if (!last || !follows(last, p)) open = [];
    while (open.length && (open.at(-1)!.level > level || (open.at(-1)!.level === level && isOrdered(open.at(-1)!.element) !== ordered))) open.pop();
    let list = open.at(-1);
    if (!list || list.level < level) {
      const element = doc.createElement(ordered ? "ol" : "ul");
      if (list) {
        // Nested: inside the last item of the list around it.
        const parentItem = list.element.lastElementChild ?? list.element.appendChild(doc.createElement("li"));
        parentItem.appendChild(element);
      } else {
        p.before(element);
      }
      list = { element, level };
      open.push(list);
    }
    const item = doc.createElement("li");
    while (p.firstChild) item.appendChild(p.firstChild);
    list.element.appendChild(item);
    last = p;
    // Keep the paragraph (empty) as the place the next one follows from, then drop it.
    p.setAttribute("data-word-list-done", "");
  }
  for (const p of doc.querySelectorAll("p[data-word-list-done]")) p.remove();
}

function isOrdered(list: HTMLElement): boolean {
  return list.tagName === "OL";
}

/** Removes the marker Word writes before an item's words and returns its text ("·", "1."). */
function takeMarker(p: HTMLElement): string {
  const ignored = [...p.querySelectorAll<HTMLElement>("span")].find((s) => /mso-list:\s*Ignore/i.test(s.getAttribute("style") ?? ""));
  if (!ignored) return "";
  const marker = (ignored.textContent ?? "").replace(/\u00a0/g, " ").trim();
  // The marker's span often sits in a span of its own (the bullet's font): drop what is left empty.
  let drop: HTMLElement = ignored;
  while (drop.parentElement && drop.parentElement !== p && (drop.parentElement.textContent ?? "") === (drop.textContent ?? "")) drop = drop.parentElement;
  drop.remove();
  return marker;
}

/** Whether `next` comes right after `previous` (only whitespace, comments or empty spans between). */
function follows(previous: HTMLElement, next: HTMLElement): boolean {
  let n = previous.nextSibling;
  while (n && n !== next) {
    if (n.nodeType === 1 && ((n as HTMLElement).textContent ?? "").trim() !== "") return false;
    if (n.nodeType === 3 && (n.textContent ?? "").trim() !== "") return false;
    n = n.nextSibling;
  }
  return n === next;
}
