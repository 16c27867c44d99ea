import { describe, expect, it } from "vitest";
import {
  canDo,
  canEditRagRules,
  canReportProgress,
  isOwningOrganisation,
  type AccountabilityPermission,
  type Actor,
  type EffectivePlanRole,
  type OwnerFact,
} from "../../server/policy";

const council: Actor = { userId: 1, organisationId: "bury-council", systemRole: "member" };
const nhs: Actor = { userId: 2, organisationId: "nhs", systemRole: "member" };
const college: Actor = { userId: 3, organisationId: "college", systemRole: "member" };
const vcf: Actor = { userId: 4, organisationId: "vcf-group", systemRole: "member" };
const facilitator: Actor = { userId: 5, organisationId: "bury-council", systemRole: "facilitator" };
const admin: Actor = { userId: 6, organisationId: "bury-council", systemRole: "admin" };

const owners: OwnerFact[] = [
  { organisation_id: "bury-council", role: "lead", status: "accepted" },
  { organisation_id: "nhs", role: "support", status: "accepted" },
  { organisation_id: "college", role: "support", status: "pending" },
  { organisation_id: "vcf-group", role: "support", status: "accepted" },
];

describe("who may post progress updates and mark milestones done", () => {
  it.each([
    ["the accepted lead's editor", council, "editor", true],
    ["an accepted supporting partner's editor", nhs, "editor", true],
    ["a partner only asked to support (pending)", college, "editor", false],
    ["an accepted supporting partner with comment rights (a VCF group delivering)", vcf, "commenter", true],
    ["a viewer of the owning organisation (scrutiny)", council, "viewer", false],
    ["someone with no access to the plan", council, "none", false],
    ["a facilitator, whatever their organisation", facilitator, "facilitator", true],
  ] as const)("%s: %s", (_label, actor, role, allowed) => {
    expect(canReportProgress(actor, role as EffectivePlanRole, owners)).toBe(allowed);
  });

  it("an editor of a partner not named on the action cannot", () => {
    const elsewhere: Actor = { userId: 9, organisationId: "housing", systemRole: "member" };
    expect(canReportProgress(elsewhere, "editor", owners)).toBe(false);
    expect(isOwningOrganisation(elsewhere, owners)).toBe(false);
  });

  it("an action with no owners can only be reported by a facilitator", () => {
    expect(canReportProgress(council, "editor", [])).toBe(false);
    expect(canReportProgress(facilitator, "facilitator", [])).toBe(true);
  });
});

describe("planning, links, versions and reports", () => {
  const table: [AccountabilityPermission, EffectivePlanRole][] = [
    ["milestone:plan", "editor"],
    ["action:link", "editor"],
    ["version:save", "editor"],
    ["version:restore", "editor"],
    ["status-report:record", "facilitator"],
    ["plan:export", "viewer"],
    ["plan:import", "editor"],
  ];
  const roles: EffectivePlanRole[] = ["none", "viewer", "commenter", "editor", "facilitator"];
  it.each(table)("%s needs at least %s", (permission, needed) => {
    const allowed = roles.filter((r) => canDo(r, permission));
    expect(allowed[0]).toBe(needed);
    expect(allowed).toEqual(roles.slice(roles.indexOf(needed)));
  });
});

describe("RAG rules", () => {
  it("are set by facilitators and admins only", () => {
    expect(canEditRagRules(facilitator)).toBe(true);
    expect(canEditRagRules(admin)).toBe(true);
    expect(canEditRagRules(council)).toBe(false);
  });
});
