import { useId, useState } from "react";
import type { AgendaItemView } from "../../../db/queries/workshops";
import type { PollView } from "../../../db/queries/workshop-polls";
import { useWorkshopCtx } from "./context";
import { plural } from "./format";
import { IntentForm } from "./IntentForm";

/** Single-choice polls and consent checks on one agenda item. */
export function Polls({ item }: { item: AgendaItemView }) {
  const ctx = useWorkshopCtx();
  const polls = ctx.state.polls.filter((p) => p.itemId === item.id);
  const anyOpen = ctx.state.polls.some((p) => p.status === "open");
  return (
    <section aria-labelledby={`polls-title-${item.id}`} className="votes polls">
      <h3 id={`polls-title-${item.id}`}>Polls and consent checks</h3>
      {polls.length === 0 ? <p className="muted">No poll or consent check on this item yet.</p> : null}
      {[...polls].reverse().map((p) => (
        <PollPanel key={p.id} poll={p} />
      ))}
      {ctx.may.run && ctx.status === "live" && !anyOpen ? <OpenPollForm item={item} /> : null}
    </section>
  );
}

function PollPanel({ poll }: { poll: PollView }) {
  const ctx = useWorkshopCtx();
  const open = poll.status === "open";
  const mine = ctx.state.mine.answers?.[poll.id] ?? null;
  const answering = open && ctx.may.vote && (ctx.role === "participant" || ctx.role === "guest");
  return (
    <article className="vote poll" aria-labelledby={`poll-title-${poll.id}`} data-testid="poll" data-poll-id={poll.id} data-status={poll.status}>
      <h4 id={`poll-title-${poll.id}`}>
        <span className="muted">{poll.kind === "consent" ? "Consent check: " : "Poll: "}</span>
        {poll.question}
      </h4>
      <p className="vote__status">
        {open
          ? poll.kind === "consent"
            ? "Open: agree, stand aside, or object with a reason. You can change your answer until the facilitator closes it."
            : "Open: choose one answer. You can change it until the facilitator closes the poll."
          : "Closed. The answers are below, by organisation."}{" "}
        {open ? <span className="muted">{plural(poll.answered, "person has", "people have")} answered so far. Answers stay hidden until it closes.</span> : null}
      </p>
      {answering ? <AnswerForm poll={poll} mine={mine} /> : null}
      {!answering && mine ? (
        <p className="muted" data-testid="my-answer">
          Your answer: {poll.options.find((o) => o.id === mine.optionId)?.label}
          {mine.reason ? ` (“${mine.reason}”)` : ""}
        </p>
      ) : null}
      {poll.results ? <PollResults poll={poll} /> : null}
      {ctx.may.run && open ? (
        <IntentForm intent="close-poll" fields={{ pollId: poll.id }} className="inline-actions">
          {(busy) => (
            <button className="button" disabled={busy}>
              Close and show the answers
            </button>
          )}
        </IntentForm>
      ) : null}
    </article>
  );
}

function AnswerForm({ poll, mine }: { poll: PollView; mine: { optionId: number; reason: string | null } | null }) {
  const uid = useId();
  const [chosen, setChosen] = useState<number | null>(mine?.optionId ?? null);
  const objecting = poll.kind === "consent" && poll.options.find((o) => o.id === chosen)?.value === "object";
  return (
    <IntentForm intent="answer-poll" fields={{ pollId: poll.id }} className="poll-answer" label={`Your answer: ${poll.question}`}>
      {(busy) => (
        <>
          <fieldset className="radios radios--stacked">
            <legend>Your answer</legend>
            {poll.options.map((o) => (
              <div className="radio" key={o.id}>
                <input
                  type="radio"
                  id={`${uid}-${o.id}`}
                  name="optionId"
                  value={o.id}
                  checked={chosen === o.id}
                  onChange={() => setChosen(o.id)}
                  required
                />
                <label htmlFor={`${uid}-${o.id}`}>{o.label}</label>
              </div>
            ))}
          </fieldset>
          {poll.kind === "consent" ? (
            <div className="field">
              <label htmlFor={`${uid}-reason`}>{objecting ? "Your reason (needed for an objection)" : "Your reason (optional)"}</label>
              <textarea
                id={`${uid}-reason`}
                name="reason"
                rows={2}
                maxLength={500}
                required={objecting}
                defaultValue={mine?.reason ?? ""}
                aria-describedby={`${uid}-reason-hint`}
              />
              <p className="hint" id={`${uid}-reason-hint`}>
                An objection says what would have to change for you to agree. Reasons are shown with your organisation when the check closes.
              </p>
            </div>
          ) : null}
          <p className="muted" role="status" data-testid="my-answer">
            {mine ? `Your answer now: ${poll.options.find((o) => o.id === mine.optionId)?.label ?? ""}.` : "You have not answered yet."}
          </p>
          <button className="button" disabled={busy || chosen === null}>
            {mine ? "Change my answer" : "Send my answer"}
          </button>
        </>
      )}
    </IntentForm>
  );
}

/** Counts by organisation as a real table (readable without colour, and by screen readers), then any reasons. */
export function PollResults({ poll, large = false }: { poll: PollView; large?: boolean }) {
  const results = poll.results!;
  const total = Object.values(results.totals).reduce((a, b) => a + b, 0);
  return (
    <div className={`poll-results${large ? " poll-results--large" : ""}`} data-testid="poll-results">
      <table className="table poll-table">
        <caption>
          Answers to: {poll.question} <span className="muted">({plural(total, "answer")})</span>
        </caption>
        <thead>
          <tr>
            <th scope="col">Organisation</th>
            {poll.options.map((o) => (
              <th scope="col" key={o.id}>
                {o.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {results.byOrganisation.length === 0 ? (
            <tr>
              <td colSpan={poll.options.length + 1}>Nobody answered.</td>
            </tr>
          ) : (
            results.byOrganisation.map((r) => (
              <tr key={r.organisation}>
                <th scope="row">{r.organisation}</th>
                {poll.options.map((o) => (
                  <td key={o.id}>{r.counts[o.id] ?? 0}</td>
                ))}
              </tr>
            ))
          )}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">Everyone</th>
            {poll.options.map((o) => (
              <td key={o.id}>
                <strong>{results.totals[o.id] ?? 0}</strong>
              </td>
            ))}
          </tr>
        </tfoot>
      </table>
      {results.reasons.length ? (
        <div className="poll-reasons">
          <h5>Reasons given</h5>
          <ul>
            {results.reasons.map((r, i) => (
              <li key={i}>
                <strong>{r.option}</strong> ({r.organisation}): {r.reason}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}

function OpenPollForm({ item }: { item: AgendaItemView }) {
  const uid = useId();
  const [kind, setKind] = useState<"choice" | "consent">("choice");
  return (
    <IntentForm intent="open-poll" fields={{ itemId: item.id }} className="open-vote" resetOnSuccess>
      {(busy) => (
        <fieldset className="fieldset">
          <legend>Ask the room</legend>
          <fieldset className="radios">
            <legend>Kind</legend>
            <div className="radio">
              <input type="radio" id={`${uid}-choice`} name="kind" value="choice" checked={kind === "choice"} onChange={() => setKind("choice")} />
              <label htmlFor={`${uid}-choice`}>Single-choice poll</label>
            </div>
            <div className="radio">
              <input type="radio" id={`${uid}-consent`} name="kind" value="consent" checked={kind === "consent"} onChange={() => setKind("consent")} />
              <label htmlFor={`${uid}-consent`}>Consent check</label>
            </div>
          </fieldset>
          <div className="field">
            <label htmlFor={`${uid}-question`}>{kind === "consent" ? "The proposal to consent to" : "Question"}</label>
            <input id={`${uid}-question`} name="question" maxLength={280} required />
          </div>
          {kind === "choice" ? (
            <div className="field">
              <label htmlFor={`${uid}-options`}>Options, one per line</label>
              <textarea id={`${uid}-options`} name="options" rows={4} required aria-describedby={`${uid}-options-hint`} />
              <p className="hint" id={`${uid}-options-hint`}>
                Two to ten options. Each person chooses one.
              </p>
            </div>
          ) : (
            <p className="hint">Everyone answers agree, stand aside or object; an objection needs a reason.</p>
          )}
          <button className="button" disabled={busy}>
            {kind === "consent" ? "Open the consent check" : "Open the poll"}
          </button>
        </fieldset>
      )}
    </IntentForm>
  );
}
