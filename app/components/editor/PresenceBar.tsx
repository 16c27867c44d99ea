import { useEffect, useRef, useState } from "react";

interface Person {
  id: number;
  name: string;
  organisationName: string;
  color: string;
  /** Where the person's caret is: the names (e.g. "OPS-3.1") of the texts they have focused. */
  places: string[];
}

type Status = "connecting" | "live" | "reconnecting" | "closed" | "offline";

/** Someone seen on this page earlier whose presence has since dropped (offline, or left). */
interface Away extends Person {
  lastSeen: number;
}

/**
 * Who is on this page (from the presence of every live document on it, as rewritten by the
 * server: nobody can appear under someone else's name) and whether the page is connected.
 */
export function PresenceBar({
  selfId,
  readOnly,
  places = {},
}: {
  selfId: number;
  readOnly: boolean;
  /** Document id -> how to name it ("OPS-3.1"), so the bar says which text each person is in. */
  places?: Record<string, string>;
}) {
  const placesRef = useRef(places);
  placesRef.current = places;
  const [state, setState] = useState<{ people: Person[]; away: Away[]; status: Status; closeReason: string; retryReason: string }>({
    people: [],
    away: [],
    status: "connecting",
    closeReason: "",
    retryReason: "",
  });

  useEffect(() => {
    let cancelled = false;
    let unsubscribe = () => {};
    // Everyone seen on this page, so a person whose presence drops is shown as offline, not forgotten.
    const seen = new Map<number, Away>();
    import("./providers.client").then(({ allProviders, subscribeProviders, lastClose, isOffline }) => {
      if (cancelled) return;
      const read = () => {
        const byId = new Map<number, Person>();
        let connected = 0;
        let closed = "";
        // A transient close (1011 save failed, 1012 server restart, 1013 too slow): the provider
        // reconnects by itself; the server's reason says why, e.g. that the changes are saved.
        let retryReason = "";
        let retrying = false;
        const providers = allProviders();
        for (const p of providers) {
          if (p.wsconnected) connected += 1;
          const close = lastClose(p.roomname);
          if (!p.wsconnected && close && close.code >= 4400 && close.code < 4500) closed = close.reason;
          else if (!p.wsconnected && close) {
            retrying = true;
            if (close.reason) retryReason = close.reason;
          }
          for (const s of p.awareness.getStates().values()) {
            const u = (s as { user?: { id?: number; name?: string; organisationName?: string } }).user;
            const color = (s as { color?: string }).color ?? "#505a5f";
            if (u && typeof u.id === "number" && u.id !== selfId) {
              const person = byId.get(u.id) ?? { id: u.id, name: u.name ?? "", organisationName: u.organisationName ?? "", color, places: [] };
              byId.set(u.id, person);
              // Lexical's collaboration plugin says `focusing` while that person's caret is in this text.
              const place = placesRef.current[p.roomname];
              if ((s as { focusing?: unknown }).focusing === true && place && !person.places.includes(place)) person.places.push(place);
            }
          }
        }
        const now = Date.now();
        for (const person of byId.values()) seen.set(person.id, { ...person, lastSeen: now });
        const away = [...seen.values()].filter((p) => !byId.has(p.id)).sort((a, b) => a.name.localeCompare(b.name));
        const status: Status = isOffline()
          ? "offline"
          : closed
          ? "closed"
          : providers.length === 0
            ? "connecting"
            : connected === providers.length
              ? "live"
              : connected === 0 && (retrying || providers.some((p) => p.synced))
                ? "reconnecting"
                : connected === 0
                  ? "connecting"
                  : "live";
        setState({
          people: [...byId.values()].sort((a, b) => a.name.localeCompare(b.name)),
          away,
          status,
          closeReason: closed,
          retryReason,
        });
      };
      read();
      unsubscribe = subscribeProviders(read);
    });
    return () => {
      cancelled = true;
      unsubscribe();
    };
  }, [selfId]);

  const { people, away, status, closeReason, retryReason } = state;
  return (
    <div className="presence" aria-label="Who is here">
      <p className={`connection connection--${status}`} role="status" data-connection={status}>
        {status === "live"
          ? readOnly
            ? "Live: you see partners' changes as they make them."
            : "Live: changes are saved as you type."
          : status === "offline"
            ? readOnly
              ? "You are offline. The text shown may be out of date; it updates when the connection returns."
              : "You are offline. Keep working: your changes are kept in this browser and will sync when the connection returns."
          : status === "connecting"
            ? "Connecting to the live document…"
            : status === "reconnecting"
              ? retryReason
                ? `Reconnecting… ${retryReason}`
                : "Connection lost. Reconnecting… keep this page open; your edits will be sent when it returns."
              : `Disconnected: ${closeReason || "the server closed the connection."} Reload the page or sign in again.`}
      </p>
      <div className="presence__people">
        <span className="presence__label">Here now:</span>
        {people.length === 0 ? (
          <span className="muted">{status === "offline" ? "not known while you are offline" : "only you"}</span>
        ) : (
          <ul className="presence__list" data-testid="presence-list">
            {people.map((p) => (
              <li key={p.id} className="presence__person">
                <span className="presence__dot" style={{ backgroundColor: p.color }} aria-hidden="true" />
                {p.places.length ? (
                  <span data-testid="presence-place">
                    {p.name} is in {p.places.join(", ")}
                  </span>
                ) : (
                  p.name
                )}{" "}
                <span className="muted">({p.organisationName})</span>
              </li>
            ))}
          </ul>
        )}
        {away.length ? (
          <ul className="presence__list presence__list--away" data-testid="presence-away" aria-label="Seen earlier, not connected now">
            {away.map((p) => (
              <li key={p.id} className="presence__person presence__person--away">
                <span className="presence__dot presence__dot--away" aria-hidden="true" />
                {p.name} <span className="muted">({p.organisationName}) offline or left, last seen {timeOf(p.lastSeen)}</span>
              </li>
            ))}
          </ul>
        ) : null}
      </div>
    </div>
  );
}

function timeOf(ms: number): string {
  return new Date(ms).toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" });
}
