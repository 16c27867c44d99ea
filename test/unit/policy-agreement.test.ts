import { describe, expect, it } from "vitest";
import { compareWords, fingerprintOf } from "../../server/documents/agreement-text";
import { agreementVerdict, type SignOffFact } from "../../server/domain/agreement-rules";
import {
  canDecideSuggestion,
  canSignOff,
  canSuggest,
  canWithdrawSuggestion,
  signOffRefusal,
  type Actor,
  type EffectivePlanRole,
} from "../../server/policy";

const council: Actor = { userId: 1, organisationId: "bury-council", systemRole: "member" };
const nhs: Actor = { userId: 2, organisationId: "nhs", systemRole: "member" };
const councilFacilitator: Actor = { userId: 5, organisationId: "bury-council", systemRole: "facilitator" };
const named = ["bury-council", "vcf-alliance"];

describe("signing off for an organisation", () => {
  it("is an editor's act for their own, named organisation", () => {
    expect(canSignOff(council, "editor", { organisationId: "bury-council", namedOrganisationIds: named })).toBe(true);
  });
  it("is refused for another organisation, whatever the role", () => {
    expect(signOffRefusal(council, "editor", { organisationId: "vcf-alliance", namedOrganisationIds: named })).toBe(
      "not-own-organisation",
    );
    expect(
      signOffRefusal(councilFacilitator, "facilitator", { organisationId: "vcf-alliance", namedOrganisationIds: named }),
    ).toBe("not-own-organisation");
  });
  it("lets a facilitator sign only for their own organisation when it is named", () => {
    expect(canSignOff(councilFacilitator, "facilitator", { organisationId: "bury-council", namedOrganisationIds: named })).toBe(true);
    expect(
      signOffRefusal(councilFacilitator, "facilitator", { organisationId: "bury-council", namedOrganisationIds: ["vcf-alliance"] }),
    ).toBe("not-named");
  });
  it("is refused to an organisation not named on the subject", () => {
    expect(signOffRefusal(nhs, "editor", { organisationId: "nhs", namedOrganisationIds: named })).toBe("not-named");
  });
  it.each(["viewer", "commenter", "none"] as EffectivePlanRole[])("is refused to a %s of a named organisation", (role) => {
    expect(signOffRefusal(council, role, { organisationId: "bury-council", namedOrganisationIds: named })).toBe("not-editor");
  });
});

describe("suggestions", () => {
  it.each([
    ["none", false, false],
    ["viewer", false, false],
    ["commenter", true, false],
    ["editor", true, true],
    ["facilitator", true, true],
  ] as const)("a %s may suggest: %s, may decide: %s", (role, suggest, decide) => {
    expect(canSuggest(role)).toBe(suggest);
    expect(canDecideSuggestion(role)).toBe(decide);
  });
  it("only the author withdraws, and only while open", () => {
    expect(canWithdrawSuggestion(council, { author_user_id: 1, status: "open" })).toBe(true);
    expect(canWithdrawSuggestion(nhs, { author_user_id: 1, status: "open" })).toBe(false);
    expect(canWithdrawSuggestion(council, { author_user_id: 1, status: "accepted" })).toBe(false);
  });
});

describe("agreementVerdict", () => {
  let id = 0;
  const sign = (org: string, fingerprint: string, withOrgs = named, kind: SignOffFact["kind"] = "signed"): SignOffFact => ({
    id: ++id,
    organisationId: org,
    kind,
    fingerprint,
    namedOrganisations: withOrgs,
  });

  it("is draft with no sign-offs, proposed with some, agreed only with all", () => {
    expect(agreementVerdict({ named, signOffs: [], fingerprint: "f1" }).status).toBe("draft");
    const one = [sign("bury-council", "f1")];
    expect(agreementVerdict({ named, signOffs: one, fingerprint: "f1" })).toEqual({
      status: "proposed",
      signed: ["bury-council"],
      waitingFor: ["vcf-alliance"],
    });
    expect(agreementVerdict({ named, signOffs: [...one, sign("vcf-alliance", "f1")], fingerprint: "f1" }).status).toBe("agreed");
  });

  it("counts only sign-offs of the current text", () => {
    const both = [sign("bury-council", "f1"), sign("vcf-alliance", "f1")];
    expect(agreementVerdict({ named, signOffs: both, fingerprint: "f2" }).status).toBe("draft");
  });

  it("lets a withdrawal undo a sign-off", () => {
    const signOffs = [sign("bury-council", "f1"), sign("vcf-alliance", "f1"), sign("vcf-alliance", "f1", named, "withdrawn")];
    expect(agreementVerdict({ named, signOffs, fingerprint: "f1" })).toMatchObject({ status: "proposed", waitingFor: ["vcf-alliance"] });
  });

  it("is never agreed with nobody named, and ignores sign-offs of organisations no longer named", () => {
    expect(agreementVerdict({ named: [], signOffs: [sign("bury-council", "f1")], fingerprint: "f1" }).status).toBe("draft");
  });

  it("keeps sign-offs when a partner is added, but asks again when one is taken off", () => {
    const signedAlone = [sign("bury-council", "f1", ["bury-council"])];
    expect(agreementVerdict({ named, signOffs: signedAlone, fingerprint: "f1" }).signed).toEqual(["bury-council"]);
    const signedWithThree = [sign("bury-council", "f1", [...named, "police"])];
    // The police were taken off after the council signed: the council's sign-off no longer counts.
    expect(agreementVerdict({ named, signOffs: signedWithThree, fingerprint: "f1" }).status).toBe("draft");
    expect(agreementVerdict({ named: ["bury-council"], signOffs: signedWithThree, fingerprint: "f1" }).status).toBe("draft");
  });
});

describe("fingerprints and comparison", () => {
  const text = { title: "Market hall", paragraphs: ["Deliver the market hall by March."] };
  it("ignore layout but not words", () => {
    expect(fingerprintOf({ title: " Market  hall", paragraphs: ["Deliver the market\nhall by March. ", ""] })).toBe(fingerprintOf(text));
    expect(fingerprintOf({ ...text, paragraphs: ["Deliver the market hall by April."] })).not.toBe(fingerprintOf(text));
    expect(fingerprintOf({ ...text, title: "Market square" })).not.toBe(fingerprintOf(text));
    expect(fingerprintOf({ title: "", paragraphs: ["Deliver the", "market hall by March."] })).not.toBe(
      fingerprintOf({ title: "", paragraphs: ["Deliver the market hall by March."] }),
    );
  });
  it("compares word by word", () => {
    const { body, title } = compareWords(text, { ...text, paragraphs: ["Deliver the new market hall by May."] });
    expect(title.every((c) => c.kind === "same")).toBe(true);
    expect(body.filter((c) => c.kind === "added").map((c) => c.value.trim())).toEqual(["new", "May"]);
    expect(body.filter((c) => c.kind === "removed").map((c) => c.value.trim())).toEqual(["March"]);
  });
});
