import type { VoteView } from "../../../db/queries/workshops";
import { plural } from "./format";

/**
 * Ranked, labelled bars: rank, option and count are text, so the chart reads without colour and
 * without seeing the bars; the table below says the same for screen readers and print.
 */
export function VoteResults({ vote }: { vote: VoteView }) {
  const results = vote.results ?? [];
  const max = Math.max(1, ...results.map((r) => r.count));
  const captionId = `vote-${vote.id}-caption`;
  return (
    <div className="vote-results" data-testid="vote-results">
      <figure className="vote-chart" aria-labelledby={captionId}>
        <figcaption id={captionId}>
          Results <span className="muted">({plural(vote.dotsCast, "vote")} from {plural(vote.voters, "person", "people")})</span>
        </figcaption>
        <ol className="vote-chart__rows" aria-hidden="true">
          {results.map((r) => (
            <li key={r.optionId} className="vote-chart__row">
              <span className="vote-chart__rank">{r.rank}</span>
              <span className="vote-chart__label">{r.label}</span>
              <span className="vote-chart__track">
                <span className="vote-chart__bar" style={{ width: `${(r.count / max) * 100}%` }} />
              </span>
              <span className="vote-chart__count">{r.count}</span>
            </li>
          ))}
        </ol>
      </figure>
      {/* The same figures for screen readers, in a table; the bars above are hidden from them. */}
      <div className="visually-hidden">
      <table data-testid="vote-table">
        <caption>Results of the vote: {vote.title}</caption>
        <thead>
          <tr>
            <th scope="col">Rank</th>
            <th scope="col">{vote.subject === "ideas" ? "Idea" : "Action"}</th>
            <th scope="col">Votes</th>
          </tr>
        </thead>
        <tbody>
          {results.map((r) => (
            <tr key={r.optionId}>
              <td>{r.rank}</td>
              <td>{r.label}</td>
              <td>{r.count}</td>
            </tr>
          ))}
        </tbody>
      </table>
      </div>
    </div>
  );
}
