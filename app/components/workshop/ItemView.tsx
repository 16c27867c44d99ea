import { Link } from "@remix-run/react";
import { useId } from "react";
import type { AgendaItemView, IdeaView, VoteView } from "../../../db/queries/workshops";
import { useWorkshopCtx } from "./context";
import { formatTime, plural } from "./format";
import { IntentForm } from "./IntentForm";
import { Polls } from "./Polls";
import { VoteResults } from "./VoteResults";
import { planActionHref, planPriorityHref } from "~/utils/plan-filters";

const IDEA_MAX = 280;

/** One agenda item: what it is about, its ideas board, its votes and its decisions. */
export function ItemView({ item, isCurrent, total }: { item: AgendaItemView; isCurrent: boolean; total: number }) {
  const ctx = useWorkshopCtx();
  const votes = ctx.state.votes.filter((v) => v.itemId === item.id);
  const anyOpen = ctx.state.votes.some((v) => v.status === "open");
  return (
    <section aria-labelledby={`item-title-${item.id}`} className="item-view" data-testid="item-view" data-item-id={item.id}>
      <header className="item-view__header">
        <h2 id={`item-title-${item.id}`}>
          <span className="muted">
            Item {item.position} of {total}:
          </span>{" "}
          {item.title}
        </h2>
        <p className="item-view__meta">
          {isCurrent && ctx.status === "live" ? <strong className="tag tag--now">The room is here</strong> : null}{" "}
          <span>Time box {item.minutes} minutes</span>
          {item.linkLabel ? (
            <>
              {" · "}
              {ctx.canSeePlan && (item.priorityId || item.actionId) ? (
                <Link to={item.actionId ? planActionHref(ctx.planId, item.actionId) : planPriorityHref(ctx.planId, item.priorityId!)}>{item.linkLabel}</Link>
              ) : (
                <span>{item.linkLabel}</span>
              )}
            </>
          ) : null}
        </p>
      </header>
      {item.detail ? (
        <details className="item-view__detail" open={item.detail.length < 400}>
          <summary>What this item is about</summary>
          <p>{item.detail}</p>
        </details>
      ) : null}
      {ctx.may.run && !isCurrent && ctx.status === "live" ? (
        <IntentForm intent="go-to-item" fields={{ itemId: item.id }} className="inline-actions">
          {(busy) => (
            <button className="button button--secondary" disabled={busy}>
              Move the room to this item
            </button>
          )}
        </IntentForm>
      ) : null}

      <IdeasBoard item={item} />

      <section aria-labelledby={`votes-title-${item.id}`} className="votes">
        <h3 id={`votes-title-${item.id}`}>Votes</h3>
        {votes.length === 0 ? <p className="muted">No vote on this item yet.</p> : null}
        {[...votes].reverse().map((v) => (
          <VotePanel key={v.id} vote={v} />
        ))}
        {ctx.may.run && ctx.status === "live" && !anyOpen ? <OpenVoteForm item={item} /> : null}
      </section>

      <Polls item={item} />

      <Decisions item={item} />
    </section>
  );
}

function IdeasBoard({ item }: { item: AgendaItemView }) {
  const ctx = useWorkshopCtx();
  const board = ctx.state.boards[item.id] ?? { itemId: item.id, ideas: [], groups: [] };
  const groupIds = new Set(board.groups.map((g) => g.id));
  const ungrouped = board.ideas.filter((i) => i.groupId === null || !groupIds.has(i.groupId));
  const inputId = `idea-${item.id}`;
  return (
    <section aria-labelledby={`ideas-title-${item.id}`} className="ideas">
      <h3 id={`ideas-title-${item.id}`}>
        Ideas <span className="muted">({board.ideas.length})</span>
      </h3>
      {ctx.may.addIdea ? (
        <IntentForm intent="add-idea" fields={{ itemId: item.id }} resetOnSuccess className="idea-form">
          {(busy) => (
            <>
              <div className="field">
                <label htmlFor={inputId}>Your idea</label>
                <textarea id={inputId} name="text" rows={2} maxLength={IDEA_MAX} required aria-describedby={`${inputId}-hint`} />
                <p className="hint" id={`${inputId}-hint`} data-testid="idea-hint">
                  Short ideas work best ({IDEA_MAX} characters at most). Everyone sees it at once.{" "}
                  {ctx.state.control.anonymousIdeas
                    ? "Ideas are anonymous here: nothing about you is stored with it, so once added not even you can change or take it back."
                    : "Your organisation is shown with it, not your name. You can change or take it back until the facilitator groups it."}
                </p>
              </div>
              <button className="button" disabled={busy}>
                Add idea
              </button>
            </>
          )}
        </IntentForm>
      ) : ctx.status === "scheduled" ? (
        <p className="muted">Ideas open when the facilitator starts the session.</p>
      ) : null}
      {board.ideas.length === 0 ? (
        <p className="empty">No ideas on this item yet.{ctx.may.addIdea ? " Add the first one." : ""}</p>
      ) : (
        <div className="idea-groups">
          {board.groups.map((g) => {
            const ideas = board.ideas.filter((i) => i.groupId === g.id);
            return (
              <div key={g.id} className="idea-group">
                <h4>
                  {g.label} <span className="muted">({ideas.length})</span>
                </h4>
                {ideas.length ? (
                  <ul className="idea-list">
                    {ideas.map((i) => (
                      <IdeaCard key={i.id} idea={i} item={item} />
                    ))}
                  </ul>
                ) : (
                  <p className="muted">No ideas in this group yet.</p>
                )}
              </div>
            );
          })}
          {ungrouped.length ? (
            <div className="idea-group">
              {board.groups.length ? <h4>Not in a group</h4> : null}
              <ul className="idea-list">
                {ungrouped.map((i) => (
                  <IdeaCard key={i.id} idea={i} item={item} />
                ))}
              </ul>
            </div>
          ) : null}
        </div>
      )}
      {ctx.may.run ? (
        <IntentForm intent="create-group" fields={{ itemId: item.id }} resetOnSuccess className="inline-field-form">
          {(busy) => (
            <>
              <div className="field">
                <label htmlFor={`group-${item.id}`}>New group</label>
                <input id={`group-${item.id}`} name="label" maxLength={60} required placeholder="e.g. Transport" />
              </div>
              <button className="button button--secondary" disabled={busy}>
                Make group
              </button>
            </>
          )}
        </IntentForm>
      ) : null}
    </section>
  );
}

function IdeaCard({ idea, item }: { idea: IdeaView; item: AgendaItemView }) {
  const ctx = useWorkshopCtx();
  const board = ctx.state.boards[item.id]!;
  const mine = ctx.participantId !== null && idea.participantId !== null && idea.participantId === ctx.participantId;
  const uid = useId();
  const others = board.ideas.filter((o) => o.id !== idea.id && !o.captured);
  // The author's until the facilitator organises it (the server holds the same rule).
  const ownAndLoose = mine && idea.groupId === null && idea.merged.length === 0 && !idea.captured && !idea.capturing;
  return (
    <li className="idea" data-idea-id={idea.id} data-testid="idea">
      <p className="idea__text">{idea.text}</p>
      <p className="idea__meta">
        {idea.byLabel}
        {mine ? " · your idea" : ""}
      </p>
      {idea.edited ? (
        <p className="idea__edited" data-testid="idea-edited">
          {idea.edited.by === "facilitator" ? "Reworded by the facilitator" : "Edited by its author"}
          <span className="muted"> · first written as “{idea.edited.original}”</span>
        </p>
      ) : null}
      {idea.merged.length ? (
        <div className="idea__merged">
          <p className="muted">Merged into this idea:</p>
          <ul>
            {idea.merged.map((m) => (
              <li key={m.id}>{m.text}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {idea.captured ? (
        <p className="idea__captured" data-testid="captured">
          <span className="badge badge--accepted">Now an action</span>{" "}
          {ctx.canSeePlan ? <Link to={planActionHref(ctx.planId, idea.captured.actionId)}>{idea.captured.title}</Link> : idea.captured.title}
        </p>
      ) : idea.capturing ? (
        <p className="muted">Being made into an action…</p>
      ) : null}
      {ctx.may.run && !idea.captured && !idea.capturing ? (
        <details className="idea__tools">
          <summary>
            Organise <span className="visually-hidden">the idea “{idea.text.slice(0, 60)}”</span>
          </summary>
          <div className="idea__tools-body">
            {board.groups.length ? (
              <IntentForm intent="set-idea-group" fields={{ ideaId: idea.id }} className="inline-field-form">
                {(busy) => (
                  <>
                    <div className="field">
                      <label htmlFor={`${uid}-group`}>Group</label>
                      <select id={`${uid}-group`} name="groupId" defaultValue={idea.groupId ?? ""}>
                        <option value="">Not in a group</option>
                        {board.groups.map((g) => (
                          <option key={g.id} value={g.id}>
                            {g.label}
                          </option>
                        ))}
                      </select>
                    </div>
                    <button className="button button--small button--secondary" disabled={busy}>
                      Move
                    </button>
                  </>
                )}
              </IntentForm>
            ) : null}
            {others.length ? (
              <IntentForm intent="merge-idea" fields={{ ideaId: idea.id }} className="inline-field-form">
                {(busy) => (
                  <>
                    <div className="field">
                      <label htmlFor={`${uid}-merge`}>Merge into</label>
                      <select id={`${uid}-merge`} name="intoIdeaId" defaultValue="" required>
                        <option value="" disabled>
                          Choose an idea
                        </option>
                        {others.map((o) => (
                          <option key={o.id} value={o.id}>
                            {o.text.slice(0, 80)}
                          </option>
                        ))}
                      </select>
                    </div>
                    <button className="button button--small button--secondary" disabled={busy}>
                      Merge
                    </button>
                  </>
                )}
              </IntentForm>
            ) : null}
            <EditIdeaForm idea={idea} label="Reword for clarity" hint="The board shows that you reworded it, and the first words." />
            {ctx.setup?.commitments ? <CommitmentForm idea={idea} /> : ctx.setup && ctx.setup.priorities.length ? <CaptureForm idea={idea} item={item} /> : null}
            <IntentForm intent="remove-idea" fields={{ ideaId: idea.id }}>
              {(busy) => (
                <button className="button button--small button--warning" disabled={busy}>
                  Remove from the board
                </button>
              )}
            </IntentForm>
          </div>
        </details>
      ) : null}
      {!ctx.may.run && ownAndLoose && ctx.may.addIdea ? (
        <details className="idea__tools">
          <summary>
            Change or take back <span className="visually-hidden">my idea “{idea.text.slice(0, 60)}”</span>
          </summary>
          <div className="idea__tools-body">
            <EditIdeaForm idea={idea} label="Change my idea" hint="You can change it until the facilitator groups it." />
            <IntentForm intent="remove-idea" fields={{ ideaId: idea.id }}>
              {(busy) => (
                <button className="button button--small button--warning" disabled={busy}>
                  Take back my idea
                </button>
              )}
            </IntentForm>
          </div>
        </details>
      ) : null}
    </li>
  );
}

function EditIdeaForm({ idea, label, hint }: { idea: IdeaView; label: string; hint: string }) {
  const uid = useId();
  return (
    <IntentForm intent="edit-idea" fields={{ ideaId: idea.id }} className="inline-field-form">
      {(busy) => (
        <>
          <div className="field">
            <label htmlFor={`${uid}-text`}>{label}</label>
            <textarea
              id={`${uid}-text`}
              name="text"
              rows={2}
              maxLength={IDEA_MAX}
              required
              defaultValue={idea.text}
              key={idea.text}
              aria-describedby={`${uid}-hint`}
            />
            <p className="hint" id={`${uid}-hint`}>
              {hint}
            </p>
          </div>
          <button className="button button--small button--secondary" disabled={busy}>
            Save the new words
          </button>
        </>
      )}
    </IntentForm>
  );
}

function CommitmentForm({ idea }: { idea: IdeaView }) {
  const uid = useId();
  return (
    <IntentForm intent="capture-idea" fields={{ ideaId: idea.id }} className="capture-form" showSuccess label={`Make a commitment from the idea: ${idea.text.slice(0, 60)}`}>
      {(busy) => (
        <fieldset className="fieldset">
          <legend>Make it a commitment of the proposal</legend>
          <div className="field">
            <label htmlFor={`${uid}-title`}>Commitment title</label>
            <input id={`${uid}-title`} name="title" defaultValue={idea.text.slice(0, 160)} maxLength={160} required minLength={3} />
          </div>
          <p className="hint">Co-drafting partners then shape it on the proposal, with its power-sharing record.</p>
          <button className="button button--small" disabled={busy}>
            Make it a commitment
          </button>
        </fieldset>
      )}
    </IntentForm>
  );
}

function CaptureForm({ idea, item }: { idea: IdeaView; item: AgendaItemView }) {
  const ctx = useWorkshopCtx();
  const setup = ctx.setup!;
  const uid = useId();
  return (
    <IntentForm intent="capture-idea" fields={{ ideaId: idea.id }} className="capture-form" showSuccess label={`Make an action from the idea: ${idea.text.slice(0, 60)}`}>
      {(busy) => (
        <fieldset className="fieldset">
          <legend>Make it an action in the plan</legend>
          <div className="field">
            <label htmlFor={`${uid}-title`}>Action title</label>
            <input id={`${uid}-title`} name="title" defaultValue={idea.text.slice(0, 160)} maxLength={160} required minLength={3} />
          </div>
          <div className="field">
            <label htmlFor={`${uid}-priority`}>Priority</label>
            <select id={`${uid}-priority`} name="priorityId" defaultValue={item.priorityId ?? ""} required>
              <option value="" disabled>
                Choose a priority
              </option>
              {setup.priorities.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.label}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${uid}-lead`}>Lead partner (asked to accept)</label>
            <select id={`${uid}-lead`} name="leadOrganisationId" defaultValue="" required>
              <option value="" disabled>
                Choose an organisation
              </option>
              {setup.organisations.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
            </select>
          </div>
          <p className="hint">The partner sees a request and leads the action once one of its editors accepts.</p>
          <button className="button button--small" disabled={busy}>
            Make it an action
          </button>
        </fieldset>
      )}
    </IntentForm>
  );
}

function VotePanel({ vote }: { vote: VoteView }) {
  const ctx = useWorkshopCtx();
  const mine = ctx.state.mine.dots[vote.id] ?? {};
  const used = Object.values(mine).reduce((a, b) => a + b, 0);
  const left = vote.allowance - used;
  const open = vote.status === "open";
  return (
    <article className="vote" aria-labelledby={`vote-title-${vote.id}`} data-testid="vote" data-vote-id={vote.id} data-status={vote.status}>
      <h4 id={`vote-title-${vote.id}`}>{vote.title}</h4>
      <p className="vote__status">
        {open
          ? `Voting is open: ${plural(vote.allowance, "vote")} each. You may put more than one on an option.`
          : vote.revealed
            ? "Voting has closed; the results are below."
            : "Voting has closed. The facilitator will show the results."}{" "}
        {!vote.revealed ? (
          <span className="muted">
            {plural(vote.voters, "person has", "people have")} voted{open ? " so far" : ""}. Counts stay hidden until the facilitator shows them.
          </span>
        ) : null}
      </p>
      {vote.revealed ? <VoteResults vote={vote} /> : null}
      {!vote.revealed && (open || used > 0) && (ctx.role === "participant" || ctx.role === "guest") ? (
        <>
          {open && ctx.may.vote ? (
            <p className="vote__left" role="status" data-testid="votes-left">
              You have {left} of {plural(vote.allowance, "vote")} left.
            </p>
          ) : null}
          <ul className="vote-options">
            {vote.options.map((o) => {
              const n = mine[o.id] ?? 0;
              return (
                <li key={o.id} className="vote-option" data-option-id={o.id}>
                  <span className="vote-option__label">{o.label}</span>
                  <span className="vote-option__mine" aria-label={`Your votes on ${o.label}: ${n}`}>
                    {"●".repeat(n)}
                    <span className="vote-option__count">{n ? ` ${n}` : ""}</span>
                  </span>
                  {open && ctx.may.vote ? (
                    <span className="vote-option__buttons">
                      <IntentForm intent="add-dot" fields={{ voteId: vote.id, optionId: o.id }}>
                        {(busy) => (
                          <button className="button button--small" disabled={busy || left <= 0}>
                            Vote<span className="visually-hidden"> for {o.label}</span>
                          </button>
                        )}
                      </IntentForm>
                      <IntentForm intent="remove-dot" fields={{ voteId: vote.id, optionId: o.id }}>
                        {(busy) => (
                          <button className="button button--small button--secondary" disabled={busy || n === 0}>
                            Take back<span className="visually-hidden"> a vote from {o.label}</span>
                          </button>
                        )}
                      </IntentForm>
                    </span>
                  ) : null}
                </li>
              );
            })}
          </ul>
        </>
      ) : null}
      {!vote.revealed && ctx.role === "facilitator" ? (
        <ul className="vote-options vote-options--plain">
          {vote.options.map((o) => (
            <li key={o.id}>{o.label}</li>
          ))}
        </ul>
      ) : null}
      {ctx.may.run ? (
        <div className="inline-actions">
          {open ? (
            <IntentForm intent="close-vote" fields={{ voteId: vote.id }}>
              {(busy) => (
                <button className="button button--secondary" disabled={busy}>
                  Close voting
                </button>
              )}
            </IntentForm>
          ) : null}
          {!vote.revealed ? (
            <IntentForm intent="reveal-vote" fields={{ voteId: vote.id }}>
              {(busy) => (
                <button className="button" disabled={busy}>
                  {open ? "Close voting and show results" : "Show results"}
                </button>
              )}
            </IntentForm>
          ) : null}
        </div>
      ) : null}
    </article>
  );
}

function OpenVoteForm({ item }: { item: AgendaItemView }) {
  const uid = useId();
  return (
    <IntentForm intent="open-vote" fields={{ itemId: item.id }} className="open-vote">
      {(busy) => (
        <fieldset className="fieldset">
          <legend>Open a dot vote</legend>
          <div className="form-grid">
            <div className="field">
              <label htmlFor={`${uid}-subject`}>Vote on</label>
              <select id={`${uid}-subject`} name="subject" defaultValue="ideas">
                <option value="ideas">Ideas on this item</option>
                <option value="actions">The plan's actions under this item</option>
              </select>
            </div>
            <div className="field">
              <label htmlFor={`${uid}-allowance`}>Votes each</label>
              <input id={`${uid}-allowance`} name="allowance" type="number" min={1} max={10} defaultValue={3} required />
            </div>
            <div className="field">
              <label htmlFor={`${uid}-title`}>Question (optional)</label>
              <input id={`${uid}-title`} name="title" maxLength={140} placeholder="Which should we take forward?" />
            </div>
          </div>
          <button className="button" disabled={busy}>
            Open the vote
          </button>
        </fieldset>
      )}
    </IntentForm>
  );
}

function Decisions({ item }: { item: AgendaItemView }) {
  const ctx = useWorkshopCtx();
  const decisions = ctx.state.decisions.filter((d) => d.itemId === item.id);
  const uid = useId();
  return (
    <section aria-labelledby={`decisions-title-${item.id}`} className="decisions">
      <h3 id={`decisions-title-${item.id}`}>Decisions</h3>
      {decisions.length === 0 ? (
        <p className="muted">No decisions recorded on this item yet.</p>
      ) : (
        <ul className="decision-list" data-testid="decisions">
          {decisions.map((d) => (
            <li key={d.id}>
              {d.text}{" "}
              {d.action?.lead ? (
                <span className={`badge badge--${d.action.lead.status}`}>
                  Lead: {d.action.lead.organisationName}
                  {d.action.lead.status === "pending" ? " · pending" : ""}
                </span>
              ) : null}{" "}
              <span className="muted">
                {formatTime(d.createdAt)}
                {d.recordedBy ? `, ${d.recordedBy}` : ""}
              </span>
            </li>
          ))}
        </ul>
      )}
      {ctx.may.run && ctx.status === "live" ? (
        <IntentForm intent="record-decision" fields={{ itemId: item.id }} resetOnSuccess className="decision-form">
          {(busy) => (
            <>
              <div className="field">
                <label htmlFor={`${uid}-decision`}>Record a decision</label>
                <textarea id={`${uid}-decision`} name="text" rows={2} maxLength={500} required />
              </div>
              <button className="button button--secondary" disabled={busy}>
                Record decision
              </button>
            </>
          )}
        </IntentForm>
      ) : null}
    </section>
  );
}
