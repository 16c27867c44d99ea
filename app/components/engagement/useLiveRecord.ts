import { useRevalidator } from "@remix-run/react";
import { useEffect, useState } from "react";

/**
 * Subscribes to the plan's Server-Sent Events (a proposal is a plan) and reloads the page data on
 * every nudge, so new comments, replies, resolutions and power-sharing changes appear without a
 * reload. Returns the last change's sentence for a polite live region.
 */
export function useLiveRecord(planId: string): string {
  const revalidator = useRevalidator();
  const [announcement, setAnnouncement] = useState("");
  useEffect(() => {
    const source = new EventSource(`/plans/${encodeURIComponent(planId)}/events`);
    source.addEventListener("change", (e) => {
      try {
        const event = JSON.parse((e as MessageEvent).data) as { summary?: string };
        setAnnouncement(event.summary ?? "The proposal was updated.");
      } catch {
        /* a malformed nudge still means: reload */
      }
      revalidator.revalidate();
    });
    return () => source.close();
    // Re-subscribing on each render would drop events; the revalidator is stable enough here.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [planId]);
  return announcement;
}
