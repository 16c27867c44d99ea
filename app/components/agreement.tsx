import { Form, useActionData, useNavigation, useRevalidator } from "@remix-run/react";
import { createContext, useContext, useEffect, useRef, useState } from "react";
import { FeedbackKey, FormFeedback } from "~/components/FormFeedback";
import type { WordChange } from "../../server/documents/agreement-text";
import type { ActionAgreementView, Contributor, SuggestionView } from "~/utils/agreement.server";

type View = ActionAgreementView;

export function formatWhen(iso: string): string {
  return new Date(iso).toLocaleString("en-GB", {
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZone: "Europe/London",
  });
}

const STATUS_LABEL = { draft: "Draft", proposed: "Proposed", agreed: "Agreed" } as const;

function statusSentence(view: View, subjectType: "action" | "proposal_section"): string {
  const total = view.partners.length;
  const signed = view.partners.filter((p) => p.signed).length;
  if (total === 0) {
    return subjectType === "action"
      ? "No partner has accepted a role on this action yet, so it cannot be agreed. Name a lead partner first."
      : "No partner has recorded a power-sharing level for this section yet, so nobody can sign it off. Each partner in its record signs off its words.";
  }
  if (view.status === "agreed") {
    return `Agreed: all ${total === 1 ? "the named partner" : `${total} named partners`} signed off these exact words${view.agreedAt ? ` (${formatWhen(view.agreedAt)})` : ""}.`;
  }
  const waiting = view.partners.filter((p) => !p.signed).map((p) => p.organisationName);
  const waitingText = `Waiting for ${waiting.length > 1 ? `${waiting.slice(0, -1).join(", ")} and ${waiting.at(-1)}` : waiting[0]}.`;
  if (view.changedSinceAgreed) return `The words changed after they were agreed, so sign-off is open again. ${waitingText}`;
  if (view.reopened) return `Sign-off is open again: a partner withdrew or the partners changed. ${waitingText}`;
  if (view.status === "proposed") return `${signed} of ${total} named partners signed off this text. ${waitingText}`;
  return `No named partner has signed off this text yet. It is agreed only when all ${total} have.`;
}

/**
 * Fetches one action's card again (the plan page's live cards): after a sign-off refused because
 * the words changed, the button then offers the new words without reloading the plan. Without it
 * (the proposal page) the page's data is reloaded.
 */
export const RefreshCard = createContext<((actionId: string) => void) | null>(null);

/**
 * Who has signed off which words, what changed since agreement, and the sign-off buttons for the
 * reader's own organisation. The status comes from the server; the page never decides it.
 */
export function AgreementPanel({
  actionId,
  actionTitle,
  view,
  organisationName,
  subjectType = "action",
}: {
  actionId: string;
  actionTitle: string;
  view: View;
  organisationName: string;
  /** An action of a plan, or a section of an engagement proposal: same rules, same trail. */
  subjectType?: "action" | "proposal_section";
}) {
  const busy = useNavigation().state !== "idle";
  const shownStatus = view.changedSinceAgreed ? "changed" : view.status;
  const result = useActionData<{ ok: boolean; for?: string }>();
  const feedback = `signoff:${actionId}`;
  const refreshCard = useContext(RefreshCard);
  const revalidator = useRevalidator();
  useEffect(() => {
    // Refused because the words moved on: show the words now on screen (Remix does not reload
    // the page's data after a refusal by itself).
    if (result && !result.ok && result.for === feedback) {
      if (refreshCard) refreshCard(actionId);
      else revalidator.revalidate();
    }
    // Once per answer.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [result]);
  return (
    <section
      className={`agreement agreement--${shownStatus}`}
      aria-labelledby={`agreement-title-${actionId}`}
      data-testid="agreement"
      data-agreement-status={shownStatus}
      data-fingerprint={view.fingerprint}
    >
      <h4 id={`agreement-title-${actionId}`}>
        Agreement{" "}
        <span className={`status-tag status-tag--${shownStatus}`} data-testid="agreement-status">
          {view.changedSinceAgreed ? "Changed since agreed" : STATUS_LABEL[view.status]}
        </span>
      </h4>
      <p className="agreement__sentence">
        {statusSentence(view, subjectType)} <span className="muted">Text version {view.short}.</span>
      </p>
      {view.partners.length ? (
        <ul className="signoff-list">
          {view.partners.map((p) => (
            <li key={p.organisationId} data-signed={p.signed ? "yes" : "no"}>
              <strong>{p.organisationName}</strong> <span className="muted">({p.roleLabel ?? (p.role === "lead" ? "lead" : "supporting")})</span>:{" "}
              {p.signed ? (
                <span className="signoff--done">
                  signed off by {p.signed.personName}, {formatWhen(p.signed.at)}
                </span>
              ) : (
                <span className="signoff--waiting">not signed off this text</span>
              )}
              {p.earlier ? (
                <span className="muted">
                  {" "}
                  ({p.earlier.kind === "withdrawn" ? "withdrew" : `signed version ${p.earlier.short}`} — {p.earlier.personName},{" "}
                  {formatWhen(p.earlier.at)})
                </span>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      {view.askedPartners.length ? (
        <p className="hint">
          Asked and not yet accepted: {view.askedPartners.join(", ")}. Each signs off once it accepts its role.
        </p>
      ) : null}

      {view.comparison ? (
        <div className="comparison" data-testid="comparison">
          <h5>What changed since it was agreed</h5>
          {view.comparison.title.some((c) => c.kind !== "same") ? (
            <p>
              <span className="muted">Title: </span>
              <WordDiff changes={view.comparison.title} />
            </p>
          ) : null}
          <p className="comparison__body">
            <WordDiff changes={view.comparison.body} />
          </p>
        </div>
      ) : null}
      {view.lastAgreed && view.status !== "agreed" ? (
        <details className="last-agreed">
          <summary>
            Read the last agreed text (version {view.lastAgreed.short})<span className="visually-hidden"> of {actionTitle}</span>
          </summary>
          <div className="last-agreed__body" data-testid="last-agreed">
            <p>
              <strong>{view.lastAgreed.title}</strong>
            </p>
            {view.lastAgreed.paragraphs.map((p, i) => (
              <p key={i}>{p}</p>
            ))}
          </div>
        </details>
      ) : null}

      {view.mine.canSign || view.mine.canWithdraw ? (
        <Form method="post" className="signoff-form">
          <FeedbackKey value={feedback} />
          <input type="hidden" name="actionId" value={actionId} />
          <input type="hidden" name="organisationId" value={view.mine.organisationId} />
          <input type="hidden" name="fingerprint" value={view.fingerprint} />
          {view.mine.canSign ? (
            <button className="button button--small" name="intent" value="sign-off" disabled={busy}>
              Sign off this text for {organisationName}
              <span className="visually-hidden"> ({actionTitle})</span>
            </button>
          ) : null}
          {view.mine.canWithdraw ? (
            <button className="button button--small button--secondary" name="intent" value="withdraw-sign-off" disabled={busy}>
              Withdraw {organisationName}'s sign-off<span className="visually-hidden"> ({actionTitle})</span>
            </button>
          ) : null}
          {view.mine.canSign ? (
            <p className="hint">
              You sign the words shown above as version <span data-testid="signoff-version">{view.short}</span>, for {organisationName}{" "}
              only. If anyone changes them, sign-off opens again.
            </p>
          ) : null}
          <FormFeedback result={result as never} name={feedback} />
        </Form>
      ) : null}
    </section>
  );
}

function WordDiff({ changes }: { changes: WordChange[] }) {
  return (
    <>
      {changes.map((c, i) =>
        c.kind === "added" ? (
          <ins key={i}>
            <span className="visually-hidden">[added: </span>
            {c.value}
            <span className="visually-hidden">]</span>
          </ins>
        ) : c.kind === "removed" ? (
          <del key={i}>
            <span className="visually-hidden">[removed: </span>
            {c.value}
            <span className="visually-hidden">]</span>
          </del>
        ) : (
          <span key={i}>{c.value}</span>
        ),
      )}
    </>
  );
}

/** Where the reader's selection is in this document's editor: block, offset and the words. */
function selectionIn(docId: string): { quote: string; blockIndex: number; start: number } | null {
  const selection = window.getSelection();
  if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
  const root = document.querySelector(`[contenteditable][data-doc-id="${CSS.escape(docId)}"]`);
  if (!root) return null;
  const range = selection.getRangeAt(0);
  if (!root.contains(range.startContainer) || !root.contains(range.endContainer)) return null;
  const blockOf = (node: Node): Element | null => {
    let n: Node | null = node;
    while (n && n.parentNode !== root) n = n.parentNode;
    return n instanceof Element ? n : null;
  };
  const block = blockOf(range.startContainer);
  if (!block || block !== blockOf(range.endContainer)) return null;
  const before = document.createRange();
  before.setStart(block, 0);
  before.setEnd(range.startContainer, range.startOffset);
  return { quote: range.toString(), blockIndex: [...root.children].indexOf(block), start: before.toString().length };
}

/**
 * Open suggestions (with accept and reject for editors), decided ones, and the form to suggest
 * different words. Works without JavaScript (type or paste the words); with it, the reader can
 * select the words in the text.
 */
export function SuggestionsPanel({
  actionId,
  actionTitle,
  docId,
  suggestions,
  maySuggest,
  mayDecide,
  organisationName,
  subjectField = "actionId",
}: {
  /** The subject's id, sent as `subjectField` (a proposal names the document instead of an action). */
  actionId: string;
  subjectField?: "actionId" | "documentId";
  actionTitle: string;
  docId: string;
  suggestions: SuggestionView[];
  maySuggest: boolean;
  mayDecide: boolean;
  organisationName: string;
}) {
  const navigation = useNavigation();
  const busy = navigation.state !== "idle";
  const formRef = useRef<HTMLFormElement>(null);
  const actionData = useActionData<{ ok: boolean }>();
  const sentHere = useRef(false);
  // Clear the form once this action's suggestion has been accepted by the server.
  useEffect(() => {
    if (navigation.state === "submitting") {
      sentHere.current = navigation.formData?.get("intent") === "suggest" && navigation.formData?.get(subjectField) === actionId;
    } else if (navigation.state === "idle" && sentHere.current) {
      sentHere.current = false;
      if (actionData?.ok) {
        formRef.current?.reset();
        setSelectionNote("");
      }
    }
  }, [navigation.state, navigation.formData, actionData, actionId, subjectField]);
  const open = suggestions.filter((s) => s.status === "open");
  const decided = suggestions.filter((s) => s.status !== "open");
  const [hydrated, setHydrated] = useState(false);
  const [selectionNote, setSelectionNote] = useState("");
  const lastSelection = useRef<ReturnType<typeof selectionIn>>(null);
  const quoteRef = useRef<HTMLTextAreaElement>(null);
  const blockRef = useRef<HTMLInputElement>(null);
  const startRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    setHydrated(true);
    const onChange = () => {
      const found = selectionIn(docId);
      if (found) lastSelection.current = found;
    };
    document.addEventListener("selectionchange", onChange);
    return () => document.removeEventListener("selectionchange", onChange);
  }, [docId]);
  const useSelection = () => {
    const found = lastSelection.current;
    if (!found || !quoteRef.current || !blockRef.current || !startRef.current) {
      setSelectionNote("Select some words inside one paragraph of the text above first, then press this button.");
      return;
    }
    quoteRef.current.value = found.quote;
    blockRef.current.value = String(found.blockIndex);
    startRef.current.value = String(found.start);
    setSelectionNote(`Words to replace set to your selection (${found.quote.length} characters).`);
  };
  if (!maySuggest && suggestions.length === 0) return null;
  const form = maySuggest ? (
    <details className="suggest">
      <summary>
        Suggest different words<span className="visually-hidden"> for {actionTitle}</span>
      </summary>
      <Form method="post" className="stack suggest__form" ref={formRef}>
        <input type="hidden" name="intent" value="suggest" />
        <input type="hidden" name={subjectField} value={actionId} />
        <input type="hidden" name="blockIndex" ref={blockRef} defaultValue="" />
        <input type="hidden" name="start" ref={startRef} defaultValue="" />
        <div className="field">
          <label htmlFor={`quote-${actionId}`}>Words to replace</label>
          <textarea id={`quote-${actionId}`} name="quote" rows={2} required maxLength={1000} ref={quoteRef} />
          <p className="hint">Copy them exactly from the text{hydrated ? ", or select them in the text and use the button" : ""}.</p>
          {hydrated ? (
            <div>
              <button type="button" className="button button--small button--secondary" onClick={useSelection}>
                Use the words I selected
              </button>
              <span className="hint" role="status">
                {" "}
                {selectionNote}
              </span>
            </div>
          ) : null}
        </div>
        <div className="field">
          <label htmlFor={`replacement-${actionId}`}>Your replacement words</label>
          <textarea id={`replacement-${actionId}`} name="replacement" rows={2} maxLength={2000} />
          <p className="hint">Leave empty to suggest deleting the words.</p>
        </div>
        <div className="field">
          <label htmlFor={`note-${actionId}`}>Why (optional)</label>
          <input id={`note-${actionId}`} name="note" maxLength={1000} />
        </div>
        <button className="button button--small" disabled={busy}>
          Send suggestion
        </button>
        <p className="hint">
          An editor of the plan accepts or rejects it. If accepted, the change is recorded as written by you, for {organisationName}.
        </p>
      </Form>
    </details>
  ) : null;
  // Most actions have no suggestions: then only the way to make one is shown.
  if (suggestions.length === 0) return <div className="suggestions suggestions--none">{form}</div>;
  return (
    <section className="suggestions" aria-labelledby={`suggestions-title-${actionId}`} data-testid="suggestions">
      <h4 id={`suggestions-title-${actionId}`}>
        Suggestions
        {open.length ? <span className="muted"> ({open.length} open)</span> : null}
      </h4>
      {open.length === 0 ? (
        <p className="muted">No open suggestions; decided ones are listed below.</p>
      ) : (
        <ul className="suggestion-list">
          {open.map((s) => (
            <li key={s.id} data-testid="suggestion" data-suggestion-id={s.id}>
              <p>
                <strong>{s.authorName}</strong> ({s.authorOrganisationName}) suggests replacing{" "}
                <del>
                  <span className="visually-hidden">[replace: </span>“{s.quote}”<span className="visually-hidden">]</span>
                </del>{" "}
                with{" "}
                <ins>
                  <span className="visually-hidden">[with: </span>“{s.replacement || "(nothing: delete the words)"}”
                  <span className="visually-hidden">]</span>
                </ins>
                <span className="muted"> · {formatWhen(s.createdAt)}</span>
              </p>
              {s.note ? <p className="suggestion__note">Why: {s.note}</p> : null}
              {mayDecide || s.canWithdraw ? (
                <Form method="post" className="inline-form inline-form--flush">
                  <input type="hidden" name="suggestionId" value={s.id} />
                  {mayDecide ? (
                    <>
                      <button className="button button--small" name="intent" value="accept-suggestion" disabled={busy}>
                        Accept<span className="visually-hidden"> {s.authorName}'s suggestion</span>
                      </button>
                      <button className="button button--small button--secondary" name="intent" value="reject-suggestion" disabled={busy}>
                        Reject<span className="visually-hidden"> {s.authorName}'s suggestion</span>
                      </button>
                    </>
                  ) : null}
                  {s.canWithdraw ? (
                    <button className="button button--small button--secondary" name="intent" value="withdraw-suggestion" disabled={busy}>
                      Withdraw my suggestion
                    </button>
                  ) : null}
                </Form>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {mayDecide && open.length ? (
        <p className="hint">Accepting changes exactly those words; the change is recorded as written by the person who suggested it.</p>
      ) : null}
      {decided.length ? (
        <details className="suggestions__decided">
          <summary>
            Decided suggestions ({decided.length})<span className="visually-hidden"> for {actionTitle}</span>
          </summary>
          <ul className="suggestion-list">
            {decided.map((s) => (
              <li key={s.id} data-testid="decided-suggestion">
                “{s.quote}” → “{s.replacement}” by {s.authorName} ({s.authorOrganisationName}):{" "}
                <strong>{s.status}</strong>
                {s.decidedByName && s.status !== "withdrawn" ? ` by ${s.decidedByName} (${s.decidedByOrganisationName})` : ""}
                {s.decidedAt ? `, ${formatWhen(s.decidedAt)}` : ""}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      {form}
    </section>
  );
}

/** Who wrote this text: every person and organisation with stored changes to it. */
export function WhoWrote({ actionTitle, contributors }: { actionTitle: string; contributors: Contributor[] }) {
  return (
    <details className="who-wrote">
      <summary>
        Who wrote this<span className="visually-hidden"> ({actionTitle})</span>
      </summary>
      <ul data-testid="who-wrote">
        {contributors.map((c, i) => (
          <li key={i}>
            {c.personName ? (
              <>
                <strong>{c.organisationName}</strong> — {c.personName}
                {c.acceptedSuggestions ? (
                  <> (including {c.acceptedSuggestions === 1 ? "an accepted suggestion" : `${c.acceptedSuggestions} accepted suggestions`})</>
                ) : null}
                <span className="muted">, last change {formatWhen(c.lastAt)}</span>
              </>
            ) : (
              <>First draft imported from the source documents</>
            )}
          </li>
        ))}
      </ul>
    </details>
  );
}
