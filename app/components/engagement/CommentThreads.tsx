import { useFetcher } from "@remix-run/react";
import { useEffect, useId, useRef, useState, type RefObject } from "react";
import { StatusMessage } from "~/components/StatusMessage";
import type { SelectedText } from "~/components/editor/CommentMarks.client";
import type { ProposalPageData } from "~/utils/proposal-page.server";
import { formatWhen } from "./format";

type Result = { ok: true; message: string } | { ok: false; error: string };
type Thread = ProposalPageData["threads"][number];
type Comment = Thread["comments"][number];
type Mentionable = ProposalPageData["mentionable"];

/** After a successful submission, run `then` once (reset a form, close a disclosure...). */
function useOnSuccess(fetcher: { state: string; data?: unknown }, then: () => void) {
  const last = useRef<unknown>(null);
  useEffect(() => {
    const data = fetcher.data as Result | undefined;
    if (fetcher.state === "idle" && data && data !== last.current) {
      last.current = data;
      if (data.ok) then();
    }
  });
}

/** Inserts "@Name " into a textarea at the caret: a keyboard-friendly way to mention an organisation. */
function MentionPicker({ target, organisations }: { target: RefObject<HTMLTextAreaElement>; organisations: Mentionable }) {
  const id = useId();
  const [choice, setChoice] = useState("");
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  if (!hydrated) return null;
  const insert = () => {
    const area = target.current;
    const org = organisations.find((o) => o.id === choice);
    if (!area || !org) return;
    const at = area.selectionStart ?? area.value.length;
    const before = area.value.slice(0, at);
    const text = `${before && !/\s$/.test(before) ? " " : ""}@${org.name} `;
    area.value = before + text + area.value.slice(area.selectionEnd ?? at);
    area.focus();
    area.selectionStart = area.selectionEnd = at + text.length;
  };
  return (
    <div className="mention-picker">
      <label htmlFor={id}>Mention an organisation</label>
      <select id={id} value={choice} onChange={(e) => setChoice(e.target.value)}>
        <option value="">Choose…</option>
        {organisations.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name}
          </option>
        ))}
      </select>
      <button type="button" className="button button--small button--secondary" onClick={insert} disabled={!choice}>
        Insert mention
      </button>
    </div>
  );
}

export function NewCommentForm({
  documentId,
  textLabel,
  selection,
  organisations,
  bodyRef,
}: {
  documentId: string;
  textLabel: string;
  selection: SelectedText | null;
  organisations: Mentionable;
  bodyRef: RefObject<HTMLTextAreaElement>;
}) {
  const fetcher = useFetcher<Result>();
  const form = useRef<HTMLFormElement>(null);
  const id = useId();
  const [quote, setQuote] = useState("");
  const [anchor, setAnchor] = useState("");
  useEffect(() => {
    if (selection) {
      setQuote(selection.quote);
      setAnchor(JSON.stringify(selection.range));
    }
  }, [selection]);
  useOnSuccess(fetcher, () => {
    form.current?.reset();
    setQuote("");
    setAnchor("");
  });
  const busy = fetcher.state !== "idle";
  return (
    <fetcher.Form method="post" ref={form} className="new-comment stack" aria-label={`New comment on ${textLabel}`}>
      <input type="hidden" name="intent" value="start-thread" />
      <input type="hidden" name="documentId" value={documentId} />
      {anchor ? <input type="hidden" name="anchor" value={anchor} /> : null}
      <div className="field">
        <label htmlFor={`${id}-quote`}>Words you are commenting on</label>
        <textarea
          id={`${id}-quote`}
          name="quote"
          rows={2}
          value={quote}
          onChange={(e) => {
            setQuote(e.target.value);
            setAnchor("");
          }}
          aria-describedby={`${id}-quote-hint`}
          required
        />
        <p className="hint" id={`${id}-quote-hint`}>
          Select words in the text, or type them exactly as they appear.
        </p>
      </div>
      <div className="field">
        <label htmlFor={`${id}-body`}>Your comment</label>
        <textarea id={`${id}-body`} name="body" rows={4} ref={bodyRef} required aria-describedby={`${id}-body-hint`} />
        <p className="hint" id={`${id}-body-hint`}>
          Write @ and an organisation's name to notify its members. Up to 5,000 characters.
        </p>
      </div>
      <MentionPicker target={bodyRef} organisations={organisations} />
      <div>
        <button className="button" disabled={busy}>
          {busy ? "Sending…" : "Add comment"}
        </button>
      </div>
      <StatusMessage result={fetcher.data} />
    </fetcher.Form>
  );
}

export function ThreadList({
  threads,
  organisations,
  activeThreadId,
  onShowInText,
  emptyText,
}: {
  threads: Thread[];
  organisations: Mentionable;
  activeThreadId: string | null;
  onShowInText(threadId: string): void;
  emptyText: string;
}) {
  const open = threads.filter((t) => t.status === "open");
  const resolved = threads.filter((t) => t.status === "resolved");
  if (threads.length === 0) return <p className="empty">{emptyText}</p>;
  return (
    <div className="threads">
      {open.length === 0 ? <p className="muted">No open comments.</p> : null}
      <ul className="thread-list" aria-label="Open comments">
        {open.map((t) => (
          <ThreadCard key={t.id} thread={t} organisations={organisations} active={t.id === activeThreadId} onShowInText={onShowInText} />
        ))}
      </ul>
      {resolved.length > 0 ? (
        <details className="resolved-threads">
          <summary>
            Resolved comments ({resolved.length})
          </summary>
          <ul className="thread-list" aria-label="Resolved comments">
            {resolved.map((t) => (
              <ThreadCard key={t.id} thread={t} organisations={organisations} active={t.id === activeThreadId} onShowInText={onShowInText} />
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}

function ThreadCard({
  thread: t,
  organisations,
  active,
  onShowInText,
}: {
  thread: Thread;
  organisations: Mentionable;
  active: boolean;
  onShowInText(threadId: string): void;
}) {
  const fetcher = useFetcher<Result>();
  const replyRef = useRef<HTMLTextAreaElement>(null);
  const replyForm = useRef<HTMLFormElement>(null);
  const id = useId();
  const busy = fetcher.state !== "idle";
  useOnSuccess(fetcher, () => replyForm.current?.reset());
  const card = useRef<HTMLLIElement>(null);
  useEffect(() => {
    if (active) card.current?.scrollIntoView({ block: "nearest", behavior: "smooth" });
  }, [active]);
  return (
    <li
      ref={card}
      id={`thread-${t.id}`}
      className={`thread thread--${t.status}${t.detached ? " thread--detached" : ""}${active ? " thread--active" : ""}`}
      data-thread-id={t.id}
      data-status={t.status}
      data-detached={t.detached ? "true" : "false"}
    >
      <article aria-labelledby={`${id}-title`}>
        <h4 id={`${id}-title`} className="thread__title">
          <span className="visually-hidden">Comment thread on </span>
          <q className="thread__quote">{t.quote}</q>
        </h4>
        <p className="thread__status">
          {t.status === "open" ? (
            <span className="badge badge--open">Open</span>
          ) : (
            <span className="badge badge--resolved">Resolved</span>
          )}{" "}
          {t.detached ? (
            <span className="badge badge--detached" title="The words this thread was on were deleted from the text.">
              Detached: its words were deleted
            </span>
          ) : null}
          {t.status === "resolved" && t.resolvedByName ? (
            <span className="muted">
              {" "}
              by {t.resolvedByName}
              {t.resolvedAt ? <>, <time dateTime={t.resolvedAt}>{formatWhen(t.resolvedAt)}</time></> : null}
            </span>
          ) : null}
        </p>
        {!t.detached && t.currentText !== null && t.currentText !== t.quote ? (
          <p className="muted thread__now">
            The words now read: <q>{t.currentText}</q>
          </p>
        ) : null}
        <ol className="comment-list">
          {t.comments.map((c) => (
            <CommentItem key={c.id} comment={c} organisations={organisations} />
          ))}
        </ol>
        <div className="thread__actions">
          {!t.detached && t.status === "open" ? (
            <button type="button" className="button button--small button--secondary" onClick={() => onShowInText(t.id)}>
              Show in text
            </button>
          ) : null}
          {t.canResolve ? (
            <fetcher.Form method="post" className="inline-form">
              <input type="hidden" name="threadId" value={t.id} />
              <button
                className="button button--small button--secondary"
                name="intent"
                value={t.status === "open" ? "resolve-thread" : "reopen-thread"}
                disabled={busy}
              >
                {t.status === "open" ? "Resolve" : "Reopen"}
                <span className="visually-hidden"> the thread on “{t.quote}”</span>
              </button>
            </fetcher.Form>
          ) : null}
        </div>
        {t.canReply ? (
          <fetcher.Form method="post" ref={replyForm} className="reply-form">
            <input type="hidden" name="intent" value="reply" />
            <input type="hidden" name="threadId" value={t.id} />
            <label htmlFor={`${id}-reply`} className="visually-hidden">
              Reply to the thread on “{t.quote}”
            </label>
            <textarea id={`${id}-reply`} name="body" rows={2} ref={replyRef} placeholder="Reply…" required />
            <button className="button button--small" disabled={busy}>
              Reply
            </button>
          </fetcher.Form>
        ) : null}
        <StatusMessage result={fetcher.data} />
      </article>
    </li>
  );
}

function CommentItem({ comment: c, organisations }: { comment: Comment; organisations: Mentionable }) {
  const fetcher = useFetcher<Result>();
  const id = useId();
  const editRef = useRef<HTMLTextAreaElement>(null);
  const [editing, setEditing] = useState(false);
  const busy = fetcher.state !== "idle";
  useOnSuccess(fetcher, () => setEditing(false));
  return (
    <li className="comment" data-comment-id={c.id}>
      <p className="comment__meta">
        <strong>{c.authorName}</strong> <span className="muted">({c.authorOrganisationName})</span> ·{" "}
        <time dateTime={c.createdAt}>{formatWhen(c.createdAt)}</time>
        {c.editedAt && !c.deleted ? <span className="muted"> · edited</span> : null}
      </p>
      {c.deleted ? (
        <p className="comment__removed">This comment was deleted by its author.</p>
      ) : c.hidden ? (
        <>
          <p className="comment__removed">
            Hidden by {c.hidden.byName ?? "a facilitator"}: {c.hidden.reason}
          </p>
          {c.body !== null ? (
            <p className="comment__body comment__body--hidden">
              <span className="visually-hidden">Hidden text, shown to you: </span>
              {c.body}
            </p>
          ) : null}
        </>
      ) : editing ? (
        <fetcher.Form method="post" className="stack">
          <input type="hidden" name="intent" value="edit-comment" />
          <input type="hidden" name="commentId" value={c.id} />
          <label htmlFor={`${id}-edit`}>Edit your comment</label>
          <textarea id={`${id}-edit`} name="body" rows={3} defaultValue={c.body ?? ""} ref={editRef} required />
          <MentionPicker target={editRef} organisations={organisations} />
          <div className="inline-form">
            <button className="button button--small" disabled={busy}>
              Save
            </button>
            <button type="button" className="button button--small button--secondary" onClick={() => setEditing(false)}>
              Cancel
            </button>
          </div>
        </fetcher.Form>
      ) : (
        <p className="comment__body">{c.body}</p>
      )}
      {c.mentions.length > 0 && !c.deleted ? <p className="hint">Mentions: {c.mentions.join(", ")}</p> : null}
      {(c.canEdit && !editing) || c.canDelete || c.canHide || c.canUnhide ? (
        <div className="comment__actions">
          {c.canEdit && !editing ? (
            <button type="button" className="button button--link" onClick={() => setEditing(true)}>
              Edit<span className="visually-hidden"> your comment</span>
            </button>
          ) : null}
          {c.canDelete ? (
            <details className="confirm">
              <summary>
                Delete<span className="visually-hidden"> your comment</span>
              </summary>
              <fetcher.Form method="post" className="inline-form">
                <input type="hidden" name="intent" value="delete-comment" />
                <input type="hidden" name="commentId" value={c.id} />
                <button className="button button--small button--warning" disabled={busy}>
                  Yes, delete my comment
                </button>
              </fetcher.Form>
            </details>
          ) : null}
          {c.canHide ? (
            <details className="confirm">
              <summary>
                Hide<span className="visually-hidden"> this comment by {c.authorName}</span>
              </summary>
              <fetcher.Form method="post" className="stack">
                <input type="hidden" name="intent" value="hide-comment" />
                <input type="hidden" name="commentId" value={c.id} />
                <label htmlFor={`${id}-reason`}>Reason, shown in its place</label>
                <input id={`${id}-reason`} name="reason" required minLength={3} maxLength={500} />
                <button className="button button--small button--warning" disabled={busy}>
                  Hide comment
                </button>
              </fetcher.Form>
            </details>
          ) : null}
          {c.canUnhide ? (
            <fetcher.Form method="post" className="inline-form">
              <input type="hidden" name="intent" value="unhide-comment" />
              <input type="hidden" name="commentId" value={c.id} />
              <button className="button button--small button--secondary" disabled={busy}>
                Show again
              </button>
            </fetcher.Form>
          ) : null}
        </div>
      ) : null}
      <StatusMessage result={fetcher.data} />
    </li>
  );
}
