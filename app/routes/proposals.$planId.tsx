import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useFetcher, useLoaderData, useNavigation, useRevalidator } from "@remix-run/react";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { DomainError } from "../../server/domain/errors";
import { requireProposal } from "../../server/domain/proposals";
import { StatusMessage } from "~/components/StatusMessage";
import { RespondsTo } from "~/components/RespondsTo";
import { AgreementPanel, SuggestionsPanel } from "~/components/agreement";
import type { SelectedText } from "~/components/editor/CommentMarks.client";
import { LiveText } from "~/components/editor/LiveText";
import { PresenceBar } from "~/components/editor/PresenceBar";
import { NewCommentForm, ThreadList } from "~/components/engagement/CommentThreads";
import { formatWhen } from "~/components/engagement/format";
import { LevelLegend, PowerSharingRecord } from "~/components/engagement/PowerSharing";
import { useFollowLiveWords } from "~/utils/use-follow-live-words";
import { useLiveRecord } from "~/utils/use-live-record";
import { actorOf, requireUser } from "~/utils/auth.server";
import { loadProposalPage, type ProposalPageData } from "~/utils/proposal-page.server";
import { handleProposalIntent } from "~/utils/proposal-intents.server";
import { runAction } from "~/utils/responses.server";

type Result = { ok: true; message: string } | { ok: false; error: string };

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.plan.title ?? "Engagement proposal"} – Co-design Workspace` },
];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  try {
    return await loadProposalPage(context, user, params.planId ?? "");
  } catch (err) {
    if (err instanceof DomainError) throw new Response(err.message, { status: err.status });
    throw err;
  }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const form = await request.formData();
  const planId = params.planId ?? "";
  return runAction(async () => {
    // The proposal must be visible before anything else is said about it.
    await requireProposal(context.app.db, actorOf(user), planId);
    return handleProposalIntent(context, user, planId, form);
  }, Object.fromEntries(form));
}

const short = (text: string, max = 50) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

export default function ProposalPage() {
  const data = useLoaderData<typeof loader>() as ProposalPageData;
  const result = useActionData<typeof action>();
  const announcement = useLiveRecord([data.plan.id]);
  // The sign-off buttons follow the live words, as on the plan page; a proposal is small, so its
  // data is reloaded whole.
  const revalidator = useRevalidator();
  useFollowLiveWords(
    data.commitments.filter((c) => data.agreement.bySection[c.id]?.mine.canSign).map((c) => [c.documentId, c.id] as const),
    () => revalidator.revalidate(),
  );
  const { plan, role, me, permissions } = data;
  const openCount = data.threads.filter((t) => t.status === "open").length;
  return (
    <div className="stack-lg proposal">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/dashboard">Dashboard</Link> <span aria-hidden="true">›</span>{" "}
        <Link to="/proposals">Engagement proposals</Link> <span aria-hidden="true">›</span> {plan.title}
      </nav>
      <div>
        <h1>
          {plan.title}
          <span className="h1-sub">
            Engagement proposal · {plan.status === "draft" ? "draft" : plan.status} · {openCount} open{" "}
            {openCount === 1 ? "comment" : "comments"}
          </span>
        </h1>
        {plan.summary ? <p className="lead">{plan.summary}</p> : null}
        <p className="access-note" data-role={role}>
          {accessNote(role)}
        </p>
      </div>
      <ChangesSinceLastVisit data={data} />
      <PresenceBar selfId={me.id} readOnly={!permissions.editText} />
      <div className="visually-hidden" role="status" aria-live="polite" data-testid="live-announcement">
        {announcement}
      </div>
      <StatusMessage result={result} />

      {data.overview ? (
        <section aria-labelledby="proposal-text-title" className="proposal-text">
          <h2 id="proposal-text-title">Proposal text</h2>
          <RespondsTo recommendations={data.recommendations} />
          <CommentableText
            docId={data.overview.id}
            label={`Text of the proposal: ${plan.title}`}
            initialText={data.overview.plain_text}
            data={data}
            headingLevel={3}
          />
        </section>
      ) : null}

      <section aria-labelledby="commitments-title">
        <h2 id="commitments-title">Engagement commitments</h2>
        <p className="muted">
          Each commitment says, for the plan, do and review stages, how far each partner will share space and power, what it will do,
          and when that is reviewed. A partner records its own level; a level proposed for another partner waits for that partner.
        </p>
        <LevelLegend />
        <SectionAgreementSummary data={data} />
        {data.commitments.length === 0 ? (
          <p className="empty">No commitments yet.{permissions.createCommitment ? " Add the first one below." : ""}</p>
        ) : (
          <ol className="commitments">
            {data.commitments.map((c) => (
              <li key={c.id} id={`commitment-${c.id}`} className="commitment">
                <article aria-labelledby={`commitment-title-${c.id}`}>
                  <h3 id={`commitment-title-${c.id}`}>{c.title}</h3>
                  <CommentableText
                    docId={c.documentId}
                    label={`Description of the commitment: ${c.title}`}
                    initialText={c.plainText}
                    data={data}
                    headingLevel={4}
                    compact
                  />
                  <PowerSharingRecord commitment={c} data={data} />
                  {data.agreement.bySection[c.id] ? (
                    <div data-follow-words={c.id}>
                      <AgreementPanel
                        actionId={c.id}
                        actionTitle={c.title}
                        view={data.agreement.bySection[c.id]}
                        organisationName={me.organisationName}
                        subjectType="proposal_section"
                      />
                    </div>
                  ) : null}
                </article>
              </li>
            ))}
          </ol>
        )}
        {permissions.createCommitment ? <NewCommitmentForm /> : null}
      </section>

      <Participants data={data} />
    </div>
  );
}

function accessNote(role: string): string {
  switch (role) {
    case "facilitator":
      return "You facilitate this proposal: you can edit it, and hide comments that break the ground rules (the reason is shown).";
    case "editor":
      return "Your organisation co-drafts this proposal. Text changes are shared live; select words to comment on them.";
    case "commenter":
      return "You can comment on this proposal: select words in the text (or type them) and add your comment. The text itself is read-only for you.";
    default:
      return "You can read this proposal and its comments as they happen. You cannot change or comment on it.";
  }
}

/** The live text with its comment threads beside it (below it, folded, for commitments). */
function CommentableText({
  docId,
  label,
  initialText,
  data,
  headingLevel,
  compact = false,
}: {
  docId: string;
  label: string;
  initialText: string;
  data: ProposalPageData;
  headingLevel: 3 | 4;
  compact?: boolean;
}) {
  const [selection, setSelection] = useState<SelectedText | null>(null);
  const [active, setActive] = useState<string | null>(null);
  const bodyRef = useRef<HTMLTextAreaElement>(null);
  const details = useRef<HTMLDetailsElement>(null);
  // What the open editor reads now (marks by thread): "The words now read" and "Detached" follow
  // partners' typing; until the editor is live and in step, the server's reading at page load.
  const [liveAnchors, setLiveAnchors] = useState<Map<string, string> | null>(null);
  const threads = useMemo(
    () =>
      data.threads
        .filter((t) => t.documentId === docId)
        .map((t) => (liveAnchors ? { ...t, detached: !liveAnchors.has(t.id), currentText: liveAnchors.get(t.id) ?? null } : t)),
    [data.threads, docId, liveAnchors],
  );
  const threadStatuses = useMemo(() => Object.fromEntries(threads.map((t) => [t.id, t.status])), [threads]);
  const onActivate = useCallback((ids: string[]) => {
    if (details.current) details.current.open = true;
    setActive(ids[0] ?? null);
  }, []);
  const showInText = useCallback((threadId: string) => {
    setActive(threadId);
    const mark = document.querySelector<HTMLElement>(`mark[data-thread-ids~="${CSS.escape(threadId)}"]`);
    mark?.scrollIntoView({ block: "center", behavior: "smooth" });
  }, []);
  const openThreads = threads.filter((t) => t.status === "open").length;
  const Heading = headingLevel === 3 ? "h3" : "h4";
  const comments = (
    <>
      {data.permissions.comment ? (
        <NewCommentForm
          documentId={docId}
          textLabel={label}
          selection={selection}
          organisations={data.mentionable}
          bodyRef={bodyRef}
        />
      ) : (
        <p className="muted">You can read the comments. Ask the facilitator if your organisation should comment too.</p>
      )}
      <SuggestionsPanel
        actionId={docId}
        subjectField="documentId"
        actionTitle={label}
        docId={docId}
        suggestions={data.suggestionsByDocument[docId] ?? []}
        maySuggest={data.permissions.suggest}
        mayDecide={data.permissions.decideSuggestions}
        organisationName={data.me.organisationName}
      />
      <ThreadList
        threads={threads}
        organisations={data.mentionable}
        activeThreadId={active}
        onShowInText={showInText}
        emptyText={
          data.permissions.comment ? "No comments yet. Select words in the text to start the conversation." : "No comments yet."
        }
      />
    </>
  );
  return (
    <div className={`commentable${compact ? " commentable--compact" : ""}`}>
      <div className="commentable__text">
        <LiveText
          docId={docId}
          label={label}
          editable={data.permissions.editText}
          userName={data.me.name}
          userColor={data.me.colour}
          initialText={initialText}
          unreadable={data.unreadable.includes(docId)}
          comments={{ threadStatuses, activeThreadId: active, onSelection: setSelection, onActivate, onAnchors: setLiveAnchors }}
        />
        {data.permissions.comment && selection ? (
          <button
            type="button"
            className="button button--small comment-on-selection"
            onClick={() => {
              if (details.current) details.current.open = true;
              bodyRef.current?.focus();
            }}
          >
            Comment on “{short(selection.quote)}”
          </button>
        ) : null}
      </div>
      {compact ? (
        <details className="commentable__comments" ref={details}>
          <summary>
            Comments on this commitment ({openThreads} open{threads.length > openThreads ? `, ${threads.length - openThreads} resolved` : ""})
          </summary>
          {comments}
        </details>
      ) : (
        <aside className="commentable__comments" aria-label={`Comments on ${label}`}>
          <Heading>Comments ({openThreads} open)</Heading>
          {comments}
        </aside>
      )}
    </div>
  );
}

function ChangesSinceLastVisit({ data }: { data: ProposalPageData }) {
  const fetcher = useFetcher<Result>();
  // The list this page opened with. Each live refresh compares with the one before it (the person
  // saw that on screen), so taking its list would empty this one within seconds of a change.
  const [opened, setOpened] = useState({ planId: data.plan.id, changes: data.changes });
  if (opened.planId !== data.plan.id) setOpened({ planId: data.plan.id, changes: data.changes });
  useEffect(() => {
    // "Mark these as seen" starts the list again: take the list of the refresh that followed it.
    if (fetcher.state === "idle" && fetcher.data?.ok) setOpened({ planId: data.plan.id, changes: data.changes });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [fetcher.state, fetcher.data]);
  const changes = opened.changes;
  if (!changes) {
    return (
      <section className="panel changes" aria-labelledby="changes-title">
        <h2 id="changes-title">Since your last visit</h2>
        <p>This is your first visit to this proposal. Next time, this panel lists what others changed in the meantime.</p>
      </section>
    );
  }
  const { since, items } = changes;
  const shown = items.slice(0, 15);
  return (
    <section className="panel changes" aria-labelledby="changes-title" data-testid="changes">
      <h2 id="changes-title">What changed since your last visit</h2>
      <p className="muted">
        Since <time dateTime={since}>{formatWhen(since)}</time>
        {items.length ? `: ${items.length} ${items.length === 1 ? "change" : "changes"} by others.` : "."}
      </p>
      {items.length === 0 ? (
        <p>Nothing has changed since then.</p>
      ) : (
        <ul className="change-list">
          {shown.map((item, i) => (
            <li key={i}>
              <time dateTime={item.at} className="muted">
                {formatWhen(item.at)}
              </time>{" "}
              {item.threadId ? <a href={`#thread-${item.threadId}`}>{item.text}</a> : item.actionId ? <a href={`#commitment-${item.actionId}`}>{item.text}</a> : item.text}
            </li>
          ))}
          {items.length > shown.length ? <li className="muted">… and {items.length - shown.length} earlier changes.</li> : null}
        </ul>
      )}
      {items.length > 0 ? (
        <fetcher.Form method="post">
          <input type="hidden" name="intent" value="mark-seen" />
          <button className="button button--small button--secondary" disabled={fetcher.state !== "idle"}>
            Mark these as seen
          </button>
        </fetcher.Form>
      ) : null}
    </section>
  );
}

function NewCommitmentForm() {
  const busy = useNavigation().state !== "idle";
  return (
    <details className="new-action">
      <summary>Add a commitment</summary>
      <Form method="post" className="stack">
        <input type="hidden" name="intent" value="create-commitment" />
        <div className="field">
          <label htmlFor="new-commitment-title">Title</label>
          <input id="new-commitment-title" name="title" required minLength={3} maxLength={160} />
        </div>
        <div className="field">
          <label htmlFor="new-commitment-description">First description</label>
          <textarea id="new-commitment-description" name="description" rows={3} maxLength={5000} />
          <p className="hint">Partners refine it together afterwards in the live editor, and record their power-sharing levels.</p>
        </div>
        <button className="button" disabled={busy}>
          Add commitment
        </button>
      </Form>
    </details>
  );
}

function Participants({ data }: { data: ProposalPageData }) {
  const busy = useNavigation().state !== "idle";
  const vcf = data.invitable.filter((o) => o.sector === "vcf");
  const others = data.invitable.filter((o) => o.sector !== "vcf");
  return (
    <section aria-labelledby="participants-title" className="participants">
      <h2 id="participants-title">Who takes part</h2>
      <dl className="owners">
        <div>
          <dt>Co-drafting partners</dt>
          <dd>{data.partners.map((p) => p.name).join(", ") || "None yet"}</dd>
        </div>
        <div>
          <dt>Commenting organisations</dt>
          <dd>{data.commenting.join(", ") || "None yet: invite VCF groups below"}</dd>
        </div>
      </dl>
      {data.permissions.invite ? (
        data.invitable.length === 0 ? (
          <p className="muted">Every organisation in the workspace already takes part.</p>
        ) : (
          <details className="new-action">
            <summary>Invite organisations to comment</summary>
            <Form method="post" className="stack">
              <input type="hidden" name="intent" value="invite-commenters" />
              {[
                { title: "Voluntary, community and faith groups", list: vcf },
                { title: "Other organisations", list: others },
              ]
                .filter((g) => g.list.length > 0)
                .map((g) => (
                  <fieldset key={g.title} className="checkboxes">
                    <legend>{g.title}</legend>
                    {g.list.map((o) => (
                      <div key={o.id} className="checkbox">
                        <input type="checkbox" id={`invite-${o.id}`} name="organisationIds" value={o.id} />
                        <label htmlFor={`invite-${o.id}`}>{o.name}</label>
                      </div>
                    ))}
                  </fieldset>
                ))}
              <p className="hint">Invited organisations can read the proposal and comment; they cannot change the text.</p>
              <button className="button" disabled={busy}>
                Invite to comment
              </button>
            </Form>
          </details>
        )
      ) : null}
    </section>
  );
}

/** How many sections are agreed, and how far each partner has signed the sections it is named on. */
function SectionAgreementSummary({ data }: { data: ProposalPageData }) {
  const { agreed, total, partners } = data.agreement.summary;
  if (total === 0) return null;
  return (
    <div className="panel section-agreement" data-testid="section-agreement-summary">
      <p>
        <strong>
          {agreed} of {total} {total === 1 ? "section" : "sections"} agreed
        </strong>
        : a section is agreed when every partner in its power-sharing record has signed off the same words; any edit opens sign-off
        again.
      </p>
      {partners.length ? (
        <ul className="section-agreement__partners">
          {partners.map((p) => (
            <li key={p.organisationId}>
              {p.organisationName}: signed {p.signed} of the {p.named} {p.named === 1 ? "section" : "sections"} it is named on
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">No partner has recorded a power-sharing level yet, so no section can be signed off.</p>
      )}
    </div>
  );
}
