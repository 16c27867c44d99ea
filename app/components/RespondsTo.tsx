/** The recommendations a plan or a proposal answers, in one line under its text. */
export function RespondsTo({ recommendations }: { recommendations: readonly { id: string; code: string; title: string }[] }) {
  if (recommendations.length === 0) return null;
  return (
    <p className="muted">
      Responds to:{" "}
      {recommendations.map((r, i) => (
        <span key={r.id}>
          {i ? "; " : ""}recommendation {r.code} ({r.title})
        </span>
      ))}
    </p>
  );
}
