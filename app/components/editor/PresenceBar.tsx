import { useEffect, useState } from "react";

interface Person {
  id: number;
  name: string;
  organisationName: string;
  color: string;
}

type Status = "connecting" | "live" | "reconnecting" | "closed";

/**
 * Who is on this page (from the presence of every live document on it, as rewritten by the
 * server: nobody can appear under someone else's name) and whether the page is connected.
 */
export function PresenceBar({ selfId, readOnly }: { selfId: number; readOnly: boolean }) {
  const [state, setState] = useState<{ people: Person[]; status: Status; closeReason: string; retryReason: string }>({
    people: [],
    status: "connecting",
    closeReason: "",
    retryReason: "",
  });

  useEffect(() => {
    let cancelled = false;
    let unsubscribe = () => {};
    import("./providers.client").then(({ allProviders, subscribeProviders, lastClose }) => {
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
            if (u && typeof u.id === "number" && u.id !== selfId && !byId.has(u.id)) {
              byId.set(u.id, { id: u.id, name: u.name ?? "", organisationName: u.organisationName ?? "", color });
            }
          }
        }
        const status: Status = closed
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

  const { people, status, closeReason, retryReason } = state;
  return (
    <div className="presence" aria-label="Who is here">
      <p className={`connection connection--${status}`} role="status" data-connection={status}>
        {status === "live"
          ? readOnly
            ? "Live: you see partners' changes as they make them."
            : "Live: changes are saved as you type."
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
          <span className="muted">only you</span>
        ) : (
          <ul className="presence__list" data-testid="presence-list">
            {people.map((p) => (
              <li key={p.id} className="presence__person">
                <span className="presence__dot" style={{ backgroundColor: p.color }} aria-hidden="true" />
                {p.name} <span className="muted">({p.organisationName})</span>
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}
