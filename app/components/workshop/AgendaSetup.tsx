import { useId, useState } from "react";
import { useWorkshopCtx } from "./context";
import { IntentForm } from "./IntentForm";

const KIND_LABEL = { priority: "A priority", action: "An action", section: "A section of the plan or proposal", general: "Something else (welcome, break, wrap-up)" };

/** Before and during the session: the agenda, its time boxes, invitations, title and time. */
export function AgendaSetup({
  workshop,
  invited,
}: {
  workshop: { title: string; scheduledFor: string };
  invited: { id: string; name: string }[];
}) {
  const { state, setup } = useWorkshopCtx();
  const [kind, setKind] = useState<keyof typeof KIND_LABEL>("priority");
  const uid = useId();
  if (!setup) return null;
  const links = kind === "priority" ? setup.priorities : kind === "action" ? setup.actions : kind === "section" ? setup.sections : [];
  const invitedIds = new Set(invited.map((o) => o.id));
  return (
    <details className="setup panel" data-testid="setup">
      <summary>
        <h2 className="setup__title">Agenda, invitations and details</h2>
      </summary>
      <section aria-labelledby={`${uid}-agenda`} className="stack">
        <h3 id={`${uid}-agenda`}>Agenda</h3>
        {state.agenda.length === 0 ? <p className="empty">No agenda items yet. Add the first below.</p> : null}
        <ol className="setup-agenda">
          {state.agenda.map((i, index) => (
            <li key={i.id} className="setup-agenda__item">
              <IntentForm intent="update-item" fields={{ itemId: i.id }} className="inline-field-form">
                {(busy) => (
                  <>
                    <div className="field field--grow">
                      <label htmlFor={`${uid}-t-${i.id}`}>Title of item {index + 1}</label>
                      <input id={`${uid}-t-${i.id}`} name="title" defaultValue={i.title} maxLength={120} required />
                    </div>
                    <div className="field">
                      <label htmlFor={`${uid}-m-${i.id}`}>Minutes</label>
                      <input id={`${uid}-m-${i.id}`} name="minutes" type="number" min={1} max={240} defaultValue={i.minutes} required className="input--short" />
                    </div>
                    <button className="button button--small button--secondary" disabled={busy}>
                      Save
                    </button>
                  </>
                )}
              </IntentForm>
              <p className="muted">{i.linkLabel ?? "Not linked to the plan"}</p>
              <div className="inline-actions">
                <IntentForm intent="move-item" fields={{ itemId: i.id, direction: "up" }}>
                  {(busy) => (
                    <button className="button button--small button--secondary" disabled={busy || index === 0}>
                      Move up<span className="visually-hidden"> {i.title}</span>
                    </button>
                  )}
                </IntentForm>
                <IntentForm intent="move-item" fields={{ itemId: i.id, direction: "down" }}>
                  {(busy) => (
                    <button className="button button--small button--secondary" disabled={busy || index === state.agenda.length - 1}>
                      Move down<span className="visually-hidden"> {i.title}</span>
                    </button>
                  )}
                </IntentForm>
                <IntentForm intent="remove-item" fields={{ itemId: i.id }}>
                  {(busy) => (
                    <button className="button button--small button--warning" disabled={busy}>
                      Remove<span className="visually-hidden"> {i.title}</span>
                    </button>
                  )}
                </IntentForm>
              </div>
            </li>
          ))}
        </ol>
        <IntentForm intent="add-item" className="add-item" resetOnSuccess>
          {(busy) => (
            <fieldset className="fieldset">
              <legend>Add an agenda item</legend>
              <div className="form-grid">
                <div className="field">
                  <label htmlFor={`${uid}-kind`}>About</label>
                  <select id={`${uid}-kind`} name="kind" value={kind} onChange={(e) => setKind(e.target.value as keyof typeof KIND_LABEL)}>
                    {Object.entries(KIND_LABEL).map(([k, label]) => (
                      <option key={k} value={k}>
                        {label}
                      </option>
                    ))}
                  </select>
                </div>
                {kind !== "general" ? (
                  <div className="field">
                    <label htmlFor={`${uid}-link`}>Which one</label>
                    <select id={`${uid}-link`} name="linkId" defaultValue="" required key={kind}>
                      <option value="" disabled>
                        {links.length ? "Choose…" : "None in this plan"}
                      </option>
                      {links.map((l) => (
                        <option key={l.id} value={l.id}>
                          {l.label.slice(0, 90)}
                        </option>
                      ))}
                    </select>
                  </div>
                ) : null}
                <div className="field">
                  <label htmlFor={`${uid}-title`}>Title{kind === "general" ? "" : " (optional)"}</label>
                  <input id={`${uid}-title`} name="title" maxLength={120} required={kind === "general"} />
                </div>
                <div className="field">
                  <label htmlFor={`${uid}-minutes`}>Time box (minutes)</label>
                  <input id={`${uid}-minutes`} name="minutes" type="number" min={1} max={240} defaultValue={15} required />
                </div>
              </div>
              <button className="button" disabled={busy}>
                Add to the agenda
              </button>
            </fieldset>
          )}
        </IntentForm>
      </section>

      <section aria-labelledby={`${uid}-invites`} className="stack">
        <h3 id={`${uid}-invites`}>Invited organisations</h3>
        <IntentForm intent="set-invitations" showSuccess>
          {(busy) => (
            <fieldset className="fieldset">
              <legend className="visually-hidden">Invited organisations</legend>
              <div className="checkbox-grid">
                {setup.organisations.map((o) => (
                  <div className="checkbox" key={o.id}>
                    <input type="checkbox" id={`${uid}-org-${o.id}`} name="organisationId" value={o.id} defaultChecked={invitedIds.has(o.id)} />
                    <label htmlFor={`${uid}-org-${o.id}`}>{o.name}</label>
                  </div>
                ))}
              </div>
              <button className="button button--secondary" disabled={busy}>
                Save invitations
              </button>
            </fieldset>
          )}
        </IntentForm>
      </section>

      <section aria-labelledby={`${uid}-details`} className="stack">
        <h3 id={`${uid}-details`}>Title and time</h3>
        <IntentForm intent="update-details" className="form-grid" showSuccess>
          {(busy) => (
            <>
              <div className="field">
                <label htmlFor={`${uid}-wtitle`}>Workshop title</label>
                <input id={`${uid}-wtitle`} name="title" defaultValue={workshop.title} maxLength={120} required />
              </div>
              <div className="field">
                <label htmlFor={`${uid}-when`}>Date and start time (UK time)</label>
                <input id={`${uid}-when`} name="scheduledFor" type="datetime-local" defaultValue={workshop.scheduledFor} required />
              </div>
              <div>
                <button className="button button--secondary" disabled={busy}>
                  Save
                </button>
              </div>
            </>
          )}
        </IntentForm>
      </section>
    </details>
  );
}
