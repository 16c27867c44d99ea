import { useRevalidator } from "@remix-run/react";
import { useEffect, useState } from "react";

/**
 * Reloads the page's data when the server says a fact of record of the plan changed (Server-Sent
 * Events from /plans/:id/events), and returns the last change in words for a polite live region.
 */
export function useLiveRecord(planIds: readonly string[]): string {
  const revalidator = useRevalidator();
  const [announcement, setAnnouncement] = useState("");
  const key = planIds.join(",");
  useEffect(() => {
    const sources = planIds.map((id) => {
      const source = new EventSource(`/plans/${encodeURIComponent(id)}/events`);
      source.addEventListener("change", (e) => {
        try {
          const event = JSON.parse((e as MessageEvent).data) as { summary?: string };
          setAnnouncement(event.summary ?? "The plan was updated.");
        } catch {
          /* a malformed nudge still means: reload */
        }
        revalidator.revalidate();
      });
      return source;
    });
    return () => sources.forEach((s) => s.close());
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  return announcement;
}
