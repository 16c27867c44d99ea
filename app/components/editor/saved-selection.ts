/**
 * The words a person selected before opening the link form, kept so the link wraps them when the
 * form is saved. A Lexical selection names nodes by key; while the form is open (and more so
 * after a refused address, when it stays open longer) the collaboration binding may replace
 * those nodes with equal ones under new keys, and a restored selection then points at nothing:
 * the link was inserted with its address as its words (issue 14). So the selection is also kept
 * as character offsets within its top-level block, and rebuilt from them when its nodes are gone.
 */
import {
  $createRangeSelection,
  $getNodeByKey,
  $getRoot,
  $isElementNode,
  $isRangeSelection,
  $setSelection,
  type BaseSelection,
  type ElementNode,
  type PointType,
} from "lexical";

interface BlockOffset {
  block: number;
  offset: number;
}

export interface SavedSelection {
  selection: BaseSelection | null;
  anchor: BlockOffset | null;
  focus: BlockOffset | null;
}

function $blockOffsetOf(point: PointType): BlockOffset | null {
  const node = point.getNode();
  const top = node.getTopLevelElement() ?? (node as ElementNode);
  if (!top || top.getParent() !== $getRoot()) return null;
  let offset = 0;
  if (point.type === "text") {
    for (const t of top.getAllTextNodes()) {
      if (t.is(node)) return { block: top.getIndexWithinParent(), offset: offset + point.offset };
      offset += t.getTextContentSize();
    }
    return null;
  }
  // An element point: the text before the child it stands before (or after the element's end).
  const element = node as ElementNode;
  const target = element.getChildAtIndex(point.offset);
  for (const t of top.getAllTextNodes()) {
    if (target ? target.is(t) || ($isElementNode(target) && target.isParentOf(t)) : !element.isParentOf(t) && element.isBefore(t)) break;
    offset += t.getTextContentSize();
  }
  return { block: top.getIndexWithinParent(), offset };
}

function $setPoint(point: PointType, at: BlockOffset): boolean {
  const top = $getRoot().getChildAtIndex(at.block) as ElementNode | null;
  if (!top) return false;
  let seen = 0;
  const texts = top.getAllTextNodes();
  for (const t of texts) {
    const size = t.getTextContentSize();
    if (at.offset <= seen + size) {
      point.set(t.getKey(), at.offset - seen, "text");
      return true;
    }
    seen += size;
  }
  return false;
}

/** Call inside an editor read or update. */
export function $saveSelection(selection: BaseSelection | null): SavedSelection {
  if (!$isRangeSelection(selection)) return { selection: selection ? selection.clone() : null, anchor: null, focus: null };
  return { selection: selection.clone(), anchor: $blockOffsetOf(selection.anchor), focus: $blockOffsetOf(selection.focus) };
}

function stillThere(point: PointType): boolean {
  const node = $getNodeByKey(point.key);
  return node !== null && node.isAttached() && point.offset <= node.getTextContentSize();
}

/** Call inside an editor update: makes the saved selection the editor's, rebuilt if its nodes are gone. */
export function $restoreSelection(saved: SavedSelection | null): void {
  if (!saved?.selection) return;
  const s = saved.selection;
  if (!$isRangeSelection(s) || (stillThere(s.anchor) && stillThere(s.focus))) {
    $setSelection(s.clone());
    return;
  }
  if (!saved.anchor || !saved.focus) return;
  const rebuilt = $createRangeSelection();
  if ($setPoint(rebuilt.anchor, saved.anchor) && $setPoint(rebuilt.focus, saved.focus)) {
    rebuilt.format = s.format;
    $setSelection(rebuilt);
  }
}

/** Whether the saved selection selected nothing (then the address itself becomes the link's words). */
export function isCollapsedSelection(saved: SavedSelection | null): boolean {
  const s = saved?.selection;
  return !$isRangeSelection(s) || s.isCollapsed();
}
