import { describe, expect, it } from "vitest";
import { carriedOwners } from "../../server/domain/plan-cycle";

const owner = (organisationId: string, role: "lead" | "support", status: "accepted" | "pending", heldRole: "lead" | "support" | null = null) => ({
  organisationId,
  role,
  status,
  heldRole,
  name: organisationId,
});

describe("who a carried action's new plan asks", () => {
  it("asks every partner again for the role it has accepted, and one only asked so far for what it was asked", () => {
    const { asked, notCarried } = carriedOwners([owner("council", "lead", "accepted"), owner("nhs", "support", "accepted"), owner("college", "support", "pending")]);
    expect(asked).toEqual([
      { organisationId: "council", role: "lead" },
      { organisationId: "nhs", role: "support" },
      { organisationId: "college", role: "support" },
    ]);
    expect(notCarried).toEqual([]);
  });

  it("leaves a pending hand-over behind while another partner leads: one organisation is asked to lead", () => {
    const { asked, notCarried } = carriedOwners([owner("council", "lead", "accepted"), owner("housing", "lead", "pending")]);
    expect(asked).toEqual([{ organisationId: "council", role: "lead" }]);
    expect(notCarried.map((o) => [o.organisationId, o.askedAs])).toEqual([["housing", null]]);
  });

  it("asks a partner asked to change role for the role it holds, and says the change is not carried", () => {
    const { asked, notCarried } = carriedOwners([owner("council", "lead", "accepted"), owner("nhs", "lead", "pending", "support")]);
    expect(asked).toEqual([
      { organisationId: "council", role: "lead" },
      { organisationId: "nhs", role: "support" },
    ]);
    expect(notCarried.map((o) => [o.organisationId, o.askedAs])).toEqual([["nhs", "support"]]);
  });

  it("asks the organisation asked to lead again when nobody leads yet", () => {
    const { asked, notCarried } = carriedOwners([owner("housing", "lead", "pending"), owner("nhs", "support", "accepted")]);
    expect(asked).toEqual([
      { organisationId: "housing", role: "lead" },
      { organisationId: "nhs", role: "support" },
    ]);
    expect(notCarried).toEqual([]);
  });
});
