import { useEffect, useRef } from "react";

/** How soon after a change to a text the sign-off button shows the new version. */
const FOLLOW_WORDS_MS = 700;

/**
 * The words an organisation would sign follow the live text (issue 14): a moment after a change to
 * the text of something this person may sign off, `refresh(subjectId)` fetches its agreement again,
 * so the button always offers the words on screen. The server stores an update before anyone
 * receives it, so what is fetched after an update holds it.
 *
 * Each subject's agreement panel carries `data-follow-words="<subject id>"`. A panel that is a
 * closed <details> is refreshed when it opens rather than at every change, so that a partner
 * typing does not make every open page ask the server again and again; any other panel is in
 * view and follows at once.
 *
 * `signable`: [document id, subject id] for each subject this person may sign off now.
 */
export function useFollowLiveWords(signable: readonly (readonly [string, string])[], refresh: (subjectId: string) => void): void {
  const latestRefresh = useRef(refresh);
  latestRefresh.current = refresh;
  const key = signable.map(([documentId, subjectId]) => `${documentId}=${subjectId}`).join(",");
  useEffect(() => {
    const watched = new Map<string, string>(signable);
    if (watched.size === 0) return;
    let cancelled = false;
    const undo: (() => void)[] = [];
    const hooked = new Set<string>();
    const timers = new Map<string, ReturnType<typeof setTimeout>>();
    const stale = new Set<string>();
    const panelOf = (subjectId: string) => document.querySelector<HTMLElement>(`[data-follow-words="${CSS.escape(subjectId)}"]`);
    const shown = (panel: HTMLElement | null) => panel !== null && (!(panel instanceof HTMLDetailsElement) || panel.open);
    const changed = (subjectId: string) => {
      if (timers.has(subjectId)) return;
      timers.set(
        subjectId,
        setTimeout(() => {
          timers.delete(subjectId);
          if (shown(panelOf(subjectId))) latestRefresh.current(subjectId);
          else stale.add(subjectId);
        }, FOLLOW_WORDS_MS),
      );
    };
    // `toggle` does not bubble: heard on the way down.
    const opened = (event: Event) => {
      const panel = event.target;
      if (!(panel instanceof HTMLDetailsElement) || !panel.open) return;
      const subjectId = panel.dataset.followWords;
      if (subjectId && stale.delete(subjectId)) latestRefresh.current(subjectId);
    };
    document.addEventListener("toggle", opened, true);
    undo.push(() => document.removeEventListener("toggle", opened, true));
    import("~/components/editor/providers.client").then(({ allProviders, subscribeProviders }) => {
      if (cancelled) return;
      const hook = () => {
        for (const provider of allProviders()) {
          const subjectId = watched.get(provider.roomname);
          if (!subjectId || hooked.has(provider.roomname)) continue;
          hooked.add(provider.roomname);
          // Not the first load of the text: only changes after it.
          const onUpdate = () => provider.synced && changed(subjectId);
          provider.doc.on("update", onUpdate);
          undo.push(() => provider.doc.off("update", onUpdate));
        }
      };
      hook();
      undo.push(subscribeProviders(hook));
    });
    return () => {
      cancelled = true;
      undo.forEach((u) => u());
      timers.forEach(clearTimeout);
    };
    // `signable` is read through `key`: a new array with the same pairs changes nothing.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
}
