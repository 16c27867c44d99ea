import { useFetcher } from "@remix-run/react";
import { useId } from "react";
import { StatusMessage } from "~/components/StatusMessage";
import type { ProposalPageData } from "~/utils/proposal-page.server";
import { formatDate, formatWhen } from "./format";

type Result = { ok: true; message: string } | { ok: false; error: string };
type Commitment = ProposalPageData["commitments"][number];

export const STAGE_LABEL: Record<string, string> = { plan: "Plan", do: "Do", review: "Review" };
export const LEVEL_TEXT: Record<string, { label: string; rank: number; meaning: string }> = {
  inform: { label: "Inform", rank: 1, meaning: "tells the others what is happening and why" },
  consult: { label: "Consult", rank: 2, meaning: "asks for views and reports back what changed because of them" },
  involve: { label: "Involve", rank: 3, meaning: "works with the others throughout, so their concerns shape the options" },
  collaborate: { label: "Collaborate", rank: 4, meaning: "decides together with the others, as equals" },
  empower: { label: "Empower", rank: 5, meaning: "hands the decision to the others and carries out what they decide" },
};

/** A level in words and as "n of 5", with a small scale that is decoration only: readable without colour. */
function Level({ level }: { level: string }) {
  const l = LEVEL_TEXT[level] ?? { label: level, rank: 0, meaning: "" };
  return (
    <span className={`level level--${level}`}>
      <strong>{l.label}</strong> <span className="level__rank">({l.rank} of 5)</span>{" "}
      <span className="level__scale" aria-hidden="true">
        {[1, 2, 3, 4, 5].map((n) => (
          <span key={n} className={n <= l.rank ? "level__step level__step--on" : "level__step"} />
        ))}
      </span>
    </span>
  );
}

export function LevelLegend() {
  return (
    <details className="legend">
      <summary>What the levels mean</summary>
      <dl className="legend__list">
        {Object.entries(LEVEL_TEXT).map(([key, l]) => (
          <div key={key}>
            <dt>
              <Level level={key} />
            </dt>
            <dd>The partner {l.meaning}.</dd>
          </div>
        ))}
      </dl>
    </details>
  );
}

export function PowerSharingRecord({ commitment: c, data }: { commitment: Commitment; data: ProposalPageData }) {
  const fetcher = useFetcher<Result>();
  const busy = fetcher.state !== "idle";
  const id = useId();
  return (
    <section className="power-sharing" aria-labelledby={`${id}-title`}>
      <h4 id={`${id}-title`}>Power-sharing record</h4>
      {c.columns.length === 0 ? (
        <p className="empty">No partner has recorded how far it will share power in this commitment yet.</p>
      ) : (
        <div className="matrix-wrap">
          <table className="table matrix stack-narrow" data-testid="power-sharing-matrix">
            <caption className="visually-hidden">
              Power-sharing record for “{c.title}”: for each stage, the level each partner agreed
            </caption>
            <thead>
              <tr>
                <th scope="col">Stage</th>
                {c.columns.map((p) => (
                  <th scope="col" key={p.id}>
                    {p.name}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {c.cells.map((row) => (
                <tr key={row.stage}>
                  <th scope="row">{STAGE_LABEL[row.stage]}</th>
                  {row.byOrganisation.map((cell) => {
                    const orgName = c.columns.find((p) => p.id === cell.organisationId)?.name ?? "";
                    return (
                      <td key={cell.organisationId} data-label={orgName} data-stage={row.stage} data-organisation={cell.organisationId}>
                        {cell.row ? (
                          <div className="cell">
                            <Level level={cell.row.level} />
                            <p className="cell__what">{cell.row.commitment}</p>
                            <p className="muted cell__review">
                              Review by <time dateTime={cell.row.reviewDate}>{formatDate(cell.row.reviewDate)}</time>
                            </p>
                            {cell.row.canRemove ? (
                              <fetcher.Form method="post" className="inline-form inline-form--flush">
                                <input type="hidden" name="intent" value="remove-power-sharing" />
                                <input type="hidden" name="actionId" value={c.id} />
                                <input type="hidden" name="stage" value={row.stage} />
                                <input type="hidden" name="organisationId" value={cell.organisationId} />
                                <button className="button button--link" disabled={busy}>
                                  Withdraw<span className="visually-hidden"> {orgName}'s level for the {row.stage} stage</span>
                                </button>
                              </fetcher.Form>
                            ) : null}
                          </div>
                        ) : cell.request ? null : (
                          <span className="muted">Not agreed</span>
                        )}
                        {cell.request ? (
                          <div className="cell cell--pending">
                            <span className="badge badge--pending">Asked · pending</span> <Level level={cell.request.level} />
                            <p className="cell__what">{cell.request.commitment}</p>
                            <p className="muted cell__review">
                              Review by <time dateTime={cell.request.reviewDate}>{formatDate(cell.request.reviewDate)}</time>. Asked by{" "}
                              {cell.request.requestedByName ?? "a partner"}
                              {cell.request.requestedByOrganisationName ? ` (${cell.request.requestedByOrganisationName})` : ""}; waits
                              for {orgName}.
                            </p>
                            {cell.request.canRespond || cell.request.canWithdraw ? (
                              <fetcher.Form method="post" className="inline-form inline-form--flush">
                                <input type="hidden" name="actionId" value={c.id} />
                                <input type="hidden" name="stage" value={row.stage} />
                                <input type="hidden" name="organisationId" value={cell.organisationId} />
                                {cell.request.canRespond ? (
                                  <>
                                    <button className="button button--small" name="intent" value="accept-power-sharing" disabled={busy}>
                                      Accept for {orgName}
                                      <span className="visually-hidden"> ({row.stage} stage)</span>
                                    </button>
                                    <button
                                      className="button button--small button--secondary"
                                      name="intent"
                                      value="decline-power-sharing"
                                      disabled={busy}
                                    >
                                      Decline<span className="visually-hidden"> for {orgName} ({row.stage} stage)</span>
                                    </button>
                                  </>
                                ) : null}
                                {cell.request.canWithdraw ? (
                                  <button
                                    className="button button--small button--secondary"
                                    name="intent"
                                    value="withdraw-power-sharing"
                                    disabled={busy}
                                  >
                                    Withdraw request<span className="visually-hidden"> to {orgName} ({row.stage} stage)</span>
                                  </button>
                                ) : null}
                              </fetcher.Form>
                            ) : null}
                          </div>
                        ) : null}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <StatusMessage result={fetcher.data} />
      {data.permissions.powerSharing ? <RecordLevelForm commitment={c} data={data} /> : null}
      <details className="history">
        <summary>
          Power-sharing history <span className="visually-hidden">for {c.title}</span> ({c.history.length})
        </summary>
        {c.history.length === 0 ? (
          <p className="muted">No changes recorded yet.</p>
        ) : (
          <table className="table table--compact">
            <caption className="visually-hidden">Power-sharing history of {c.title}</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Change</th>
                <th scope="col">By</th>
              </tr>
            </thead>
            <tbody>
              {c.history.map((h) => (
                <tr key={h.id}>
                  <td>
                    <time dateTime={h.created_at}>{formatWhen(h.created_at)}</time>
                  </td>
                  <td>
                    {historySentence(h)}
                    {h.note ? <span className="muted"> — {h.note}</span> : null}
                  </td>
                  <td>{h.actor_name ? `${h.actor_name} (${h.actor_organisation_name ?? ""})` : "Recorded in the first draft"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </details>
    </section>
  );
}

function historySentence(h: Commitment["history"][number]): string {
  const stage = `${STAGE_LABEL[h.stage] ?? h.stage} stage`;
  const level = (l: string | null) => (l ? (LEVEL_TEXT[l]?.label ?? l).toLowerCase() : "");
  switch (h.event) {
    case "set":
      return `${h.organisation_name} set its level for the ${stage}: ${level(h.to_level)}${h.from_level ? ` (was ${level(h.from_level)})` : ""}`;
    case "proposed":
      return `${h.organisation_name} was asked to ${level(h.to_level)} at the ${stage}`;
    case "accepted":
      return `${h.organisation_name} agreed to ${level(h.to_level)} at the ${stage}`;
    case "declined":
      return `${h.organisation_name} declined a request for the ${stage}`;
    case "withdrawn":
      return `A request to ${h.organisation_name} for the ${stage} was withdrawn`;
    case "superseded":
      return `A request to ${h.organisation_name} for the ${stage} was replaced`;
    case "removed":
      return `${h.organisation_name} withdrew its level for the ${stage}`;
    default:
      return `${h.organisation_name}: ${h.event} (${stage})`;
  }
}

function RecordLevelForm({ commitment: c, data }: { commitment: Commitment; data: ProposalPageData }) {
  const fetcher = useFetcher<Result>();
  const busy = fetcher.state !== "idle";
  const id = useId();
  return (
    <details className="record-level">
      <summary>
        Record a level <span className="visually-hidden">for {c.title}</span>
      </summary>
      <fetcher.Form method="post" className="form-grid record-level__form">
        <input type="hidden" name="intent" value="set-power-sharing" />
        <input type="hidden" name="actionId" value={c.id} />
        <div className="field">
          <label htmlFor={`${id}-org`}>Partner</label>
          <select id={`${id}-org`} name="organisationId" defaultValue={data.me.organisationId} required>
            {data.partners.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
                {p.id === data.me.organisationId ? " (your organisation)" : ""}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-stage`}>Stage</label>
          <select id={`${id}-stage`} name="stage" defaultValue="plan">
            {data.stages.map((s) => (
              <option key={s} value={s}>
                {STAGE_LABEL[s]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-level`}>Level</label>
          <select id={`${id}-level`} name="level" defaultValue="involve">
            {data.levels.map((l) => (
              <option key={l} value={l}>
                {LEVEL_TEXT[l].label} ({LEVEL_TEXT[l].rank} of 5)
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-date`}>Review date</label>
          <input id={`${id}-date`} name="reviewDate" type="date" required />
        </div>
        <div className="field field--wide">
          <label htmlFor={`${id}-what`}>What this partner will do</label>
          <textarea id={`${id}-what`} name="commitment" rows={2} required minLength={3} maxLength={1000} />
        </div>
        <div className="field--wide">
          <button className="button button--small" disabled={busy}>
            Record level
          </button>
          <p className="hint">
            Your own organisation's level is recorded at once. Another partner is asked first: it shows as pending until one of its
            editors accepts.
          </p>
        </div>
      </fetcher.Form>
      <StatusMessage result={fetcher.data} />
    </details>
  );
}
