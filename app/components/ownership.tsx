export function roleLabel(role: string): string {
  return role === "lead" ? "lead partner" : "supporting partner";
}

export function OwnerBadge({ role, status }: { role: string; status: string }) {
  return (
    <span className={`badge badge--${status}`}>
      {role === "lead" ? "Lead" : "Supporting"}
      {status === "pending" ? " · pending" : ""}
    </span>
  );
}

const EVENT_TEXT: Record<string, string> = {
  proposed: "asked to be",
  accepted: "confirmed as",
  declined: "declined being",
  removed: "taken off as",
  role_changed: "changed to",
};

export function historySentence(h: {
  event: string;
  organisation_name: string;
  from_role: string | null;
  to_role: string | null;
}): string {
  const role = h.event === "removed" ? h.from_role : (h.to_role ?? h.from_role);
  const from = h.event === "role_changed" && h.from_role ? ` (was ${roleLabel(h.from_role)})` : "";
  return `${h.organisation_name} ${EVENT_TEXT[h.event] ?? h.event} ${role ? roleLabel(role) : "owner"}${from}`;
}
