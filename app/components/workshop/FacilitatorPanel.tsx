import { useEffect, useState } from "react";
import type { AgendaItemView } from "../../../db/queries/workshops";
import { isRunning } from "../../../server/workshops/timer";
import { useWorkshopCtx } from "./context";
import { IntentForm } from "./IntentForm";

function ControlButton({
  intent,
  fields,
  children,
  secondary = false,
  warning = false,
}: {
  intent: string;
  fields?: Record<string, string | number>;
  children: React.ReactNode;
  secondary?: boolean;
  warning?: boolean;
}) {
  return (
    <IntentForm intent={intent} fields={fields} className="control">
      {(busy) => (
        <button className={`button${secondary ? " button--secondary" : ""}${warning ? " button--warning" : ""}`} disabled={busy}>
          {children}
        </button>
      )}
    </IntentForm>
  );
}

/** The facilitator's controls. The server decides; every screen shows the result live. */
export function FacilitatorPanel({ guestCode, current }: { guestCode: string | null; current: AgendaItemView | null }) {
  const { state, status, workshopId } = useWorkshopCtx();
  const { control, agenda } = state;
  const running = isRunning(control.timer);
  const [origin, setOrigin] = useState("");
  useEffect(() => setOrigin(window.location.origin), []);
  const index = current ? agenda.findIndex((i) => i.id === current.id) : -1;
  return (
    <section aria-labelledby="facilitator-title" className="panel facilitator" data-testid="facilitator-panel">
      <h2 id="facilitator-title">Facilitator controls</h2>
      {status === "scheduled" ? (
        <div className="control-row">
          <ControlButton intent="start-session">Start the session</ControlButton>
          <p className="hint">Everyone on this page moves to the first agenda item, with its time box on the timer.</p>
        </div>
      ) : (
        <>
          <div className="control-row" role="group" aria-label="Agenda">
            <span className="control-row__label">Agenda</span>
            <ControlButton intent="previous-item" secondary>
              Previous item
            </ControlButton>
            <ControlButton intent="next-item">Next item</ControlButton>
            <span className="muted">
              {index >= 0 ? `Item ${index + 1} of ${agenda.length}` : ""}
            </span>
          </div>
          <div className="control-row" role="group" aria-label="Timer">
            <span className="control-row__label">Timer</span>
            {running ? (
              <ControlButton intent="timer" fields={{ timer: "pause" }} secondary>
                Pause timer
              </ControlButton>
            ) : (
              <ControlButton intent="timer" fields={{ timer: "start" }}>
                Start timer
              </ControlButton>
            )}
            <ControlButton intent="timer" fields={{ timer: "add", minutes: 1 }} secondary>
              +1 minute
            </ControlButton>
            <ControlButton intent="timer" fields={{ timer: "add", minutes: 5 }} secondary>
              +5 minutes
            </ControlButton>
            <ControlButton intent="timer" fields={{ timer: "add", minutes: -1 }} secondary>
              −1 minute
            </ControlButton>
            <ControlButton intent="timer" fields={{ timer: "reset" }} secondary>
              Reset to time box
            </ControlButton>
          </div>
        </>
      )}
      <div className="control-row" role="group" aria-label="Plan editing">
        <span className="control-row__label">Plan</span>
        {control.planLocked ? (
          <ControlButton intent="unlock-plan" secondary>
            Unlock editing of the plan
          </ControlButton>
        ) : (
          <ControlButton intent="lock-plan" secondary>
            Lock editing of the plan
          </ControlButton>
        )}
        <span className="hint">
          {control.planLocked
            ? "Partners can read the plan but not change it; you can."
            : "Lock it so the room works here, not in the plan, during the session."}
        </span>
      </div>
      <IntentForm
        intent="set-options"
        className="control-row workshop-options"
        label="Ways of working"
        showSuccess
      >
        {(busy) => (
          <>
            <span className="control-row__label">Ways of working</span>
            <div className="checkbox">
              <input
                type="checkbox"
                id="opt-anonymous"
                name="anonymousIdeas"
                key={`a${control.anonymousIdeas}`}
                defaultChecked={control.anonymousIdeas}
                aria-describedby="opt-anonymous-hint"
              />
              <label htmlFor="opt-anonymous">Anonymous ideas</label>
            </div>
            <div className="checkbox">
              <input type="checkbox" id="opt-autostart" name="autoStartTimer" key={`t${control.autoStartTimer}`} defaultChecked={control.autoStartTimer} />
              <label htmlFor="opt-autostart">Start each item's timer when moving on</label>
            </div>
            <button className="button button--secondary" disabled={busy}>
              Save
            </button>
            <p className="hint" id="opt-anonymous-hint">
              Anonymous ideas are stored with no person or organisation, so nobody, you included, can tell whose they are. It applies to ideas added from now on.
            </p>
          </>
        )}
      </IntentForm>
      <p>
        <a href={`/workshops/${workshopId}/screen`} target="_blank" rel="noreferrer" data-testid="room-screen-link">
          Open the room screen for the projector
        </a>{" "}
        <span className="muted">(opens in a new tab; it follows you and needs no clicks)</span>
      </p>
      <div className="join-info">
        <h3>How people join</h3>
        <p>
          Partners with an account open <code>{origin}/workshops/{workshopId}</code>.
        </p>
        {guestCode ? (
          <p>
            Guests go to <code>{origin}/join</code> and enter the code{" "}
            <strong className="guest-code" data-testid="guest-code">
              {guestCode}
            </strong>
            . The code stops working when you close the workshop.
          </p>
        ) : null}
      </div>
      <details className="close-workshop">
        <summary>Close the workshop</summary>
        <p>
          Closing ends the session for everyone: the plan is unlocked, an open vote closes, guests lose access and the record
          is fixed. It cannot be reopened.
        </p>
        <ControlButton intent="close-workshop" warning>
          Close the workshop now
        </ControlButton>
      </details>
    </section>
  );
}
