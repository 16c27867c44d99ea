import { useRevalidator } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";

/**
 * Reloads the page's data when the server says a fact of record of the plan changed (Server-Sent
 * Events from /plans/:id/events), and returns the last change in words for a polite live region.
 */
export interface LiveEvent {
  kind?: string;
  actionId?: string;
  summary?: string;
}

/**
 * `patch`, if given, may handle an event itself (e.g. refetch the one card it names) and return
 * true; otherwise, and for a malformed nudge, the page's data is reloaded.
 */
export function useLiveRecord(planIds: readonly string[], patch?: (event: LiveEvent, reload: () => void) => boolean): string {
  const revalidator = useRevalidator();
  const [announcement, setAnnouncement] = useState("");
  const latest = useRef({ patch, revalidator });
  latest.current = { patch, revalidator };
  const key = planIds.join(",");
  useEffect(() => {
    const sources = planIds.map((id) => {
      const source = new EventSource(`/plans/${encodeURIComponent(id)}/events`);
      source.addEventListener("change", (e) => {
        const reload = () => latest.current.revalidator.revalidate();
        try {
          const event = JSON.parse((e as MessageEvent).data) as LiveEvent;
          setAnnouncement(event.summary ?? "The plan was updated.");
          if (latest.current.patch?.(event, reload)) return;
        } catch {
          /* a malformed nudge still means: reload */
        }
        reload();
      });
      return source;
    });
    return () => sources.forEach((s) => s.close());
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  return announcement;
}
