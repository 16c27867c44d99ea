import type { ParagraphView } from "../../server/accountability/authorship-view";

/** Paragraphs with the people and organisations whose edits they contain. */
export function AuthoredParagraphs({ paragraphs, label }: { paragraphs: ParagraphView[]; label: string }) {
  const unreadable = paragraphs.find((p) => p.unreadable);
  if (unreadable) return <p className="notice notice--warning">{unreadable.text}</p>;
  const nonEmpty = paragraphs.filter((p) => p.text.trim() !== "");
  if (nonEmpty.length === 0) return <p className="muted">{label} has no text yet.</p>;
  return (
    <ol className="authored" aria-label={`Paragraphs of ${label} with their authors`}>
      {nonEmpty.map((p, i) => (
        <li key={i} className="authored__paragraph">
          <p className="authored__text">{p.text}</p>
          <p className="authored__by">
            <span className="authored__label">Written by: </span>
            {p.authors.map((a, j) => (
              <span key={j} className={`author-chip${a.userName ? "" : " author-chip--imported"}`} data-testid="author">
                {a.userName ? (
                  <>
                    {a.userName} <span className="muted">({a.organisationName ?? "no organisation"})</span>
                  </>
                ) : (
                  <>Imported from the source documents</>
                )}
                {p.authors.length > 1 ? <span className="muted"> · {a.characters} characters</span> : null}
              </span>
            ))}
          </p>
        </li>
      ))}
    </ol>
  );
}
