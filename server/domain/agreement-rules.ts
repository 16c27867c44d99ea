/**
 * How the server decides whether partners agree. Pure: the same function gives the stored
 * verdict (written with its trail) and what a page shows, so they cannot disagree.
 */
import type { AgreementStatus, SignOffKind } from "../../db/schema";

export interface SignOffFact {
  id: number;
  organisationId: string;
  kind: SignOffKind;
  fingerprint: string;
  /** The partners named on the subject when this sign-off was given. */
  namedOrganisations: readonly string[];
}

export interface AgreementVerdict {
  status: AgreementStatus;
  /** Named organisations whose sign-off counts for the current text, in `named` order. */
  signed: string[];
  /** Named organisations still to sign the current text. */
  waitingFor: string[];
}

/** Each organisation's newest sign-off row (a withdrawal counts as its newest word). */
export function latestSignOffs(facts: readonly SignOffFact[]): Map<string, SignOffFact> {
  const latest = new Map<string, SignOffFact>();
  for (const f of [...facts].sort((a, b) => a.id - b.id)) latest.set(f.organisationId, f);
  return latest;
}

/**
 * A named organisation's sign-off counts when its newest word is "signed", for exactly the
 * current text (fingerprint), and no partner it signed alongside has since been taken off:
 * a sign-off is given to these words with these partners. Adding a partner keeps the others'
 * sign-offs (the new partner still has to sign); removing one asks the rest to confirm again,
 * so nobody can turn "proposed" into "agreed" by taking a hesitant partner off the action.
 *
 * Agreed: every named organisation signed and at least one is named. Proposed: some signed.
 * Draft: nobody's sign-off counts for this text.
 */
export function agreementVerdict(input: {
  named: readonly string[];
  signOffs: readonly SignOffFact[];
  fingerprint: string;
}): AgreementVerdict {
  const named = [...new Set(input.named)];
  const latest = latestSignOffs(input.signOffs);
  const counts = (org: string) => {
    const s = latest.get(org);
    return (
      s !== undefined &&
      s.kind === "signed" &&
      s.fingerprint === input.fingerprint &&
      s.namedOrganisations.every((o) => named.includes(o))
    );
  };
  const signed = named.filter(counts);
  const waitingFor = named.filter((o) => !counts(o));
  const status: AgreementStatus =
    named.length > 0 && waitingFor.length === 0 ? "agreed" : signed.length > 0 ? "proposed" : "draft";
  return { status, signed, waitingFor };
}
