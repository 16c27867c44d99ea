import { describe, expect, it } from "vitest";
import {
  can,
  canAdminister,
  canCreatePlan,
  canRemoveOwner,
  canRespondToOwnership,
  planRole,
  syncAccess,
  type Actor,
  type EffectivePlanRole,
  type GrantRow,
  type PlanPermission,
} from "../../server/policy";

const council: Actor = { userId: 1, organisationId: "bury-council", systemRole: "member" };
const nhs: Actor = { userId: 2, organisationId: "nhs", systemRole: "member" };
const vcfGroup: Actor = { userId: 3, organisationId: "vcf-group", systemRole: "member" };
const scrutiny: Actor = { userId: 4, organisationId: "bury-council", systemRole: "member" };
const facilitator: Actor = { userId: 5, organisationId: "bury-council", systemRole: "facilitator" };
const admin: Actor = { userId: 6, organisationId: "bury-council", systemRole: "admin" };
const outsider: Actor = { userId: 7, organisationId: "elsewhere", systemRole: "member" };

const grants: GrantRow[] = [
  { organisation_id: "bury-council", user_id: null, role: "editor" },
  { organisation_id: "nhs", user_id: null, role: "editor" },
  { organisation_id: "vcf-group", user_id: null, role: "commenter" },
  { organisation_id: null, user_id: 4, role: "viewer" },
];

describe("planRole", () => {
  it.each([
    [council, "editor"],
    [nhs, "editor"],
    [vcfGroup, "commenter"],
    [scrutiny, "viewer"],
    [facilitator, "facilitator"],
    [admin, "facilitator"],
    [outsider, "none"],
  ] as const)("gives %o the role %s", (actor, role) => {
    expect(planRole(actor, grants)).toBe(role);
  });

  it("lets a user grant raise a person above their organisation's grant", () => {
    expect(planRole(vcfGroup, [...grants, { organisation_id: null, user_id: 3, role: "editor" }])).toBe("editor");
  });

  it("gives nothing on a plan without grants", () => {
    expect(planRole(council, [])).toBe("none");
  });
});

describe("can: every role against every permission", () => {
  const table: Record<PlanPermission, EffectivePlanRole[]> = {
    "plan:view": ["viewer", "commenter", "editor", "facilitator"],
    "plan:comment": ["commenter", "editor", "facilitator"],
    "plan:edit-text": ["editor", "facilitator"],
    "action:create": ["editor", "facilitator"],
    "action:edit-details": ["editor", "facilitator"],
    "ownership:propose": ["editor", "facilitator"],
    "plan:manage": ["facilitator"],
  };
  const roles: EffectivePlanRole[] = ["none", "viewer", "commenter", "editor", "facilitator"];
  for (const [permission, allowed] of Object.entries(table) as [PlanPermission, EffectivePlanRole[]][]) {
    for (const role of roles) {
      const expected = allowed.includes(role);
      it(`${role} ${expected ? "may" : "may not"} ${permission}`, () => {
        expect(can(role, permission)).toBe(expected);
      });
    }
  }
});

describe("syncAccess", () => {
  it.each([
    ["none", "none"],
    ["viewer", "read"],
    ["commenter", "read"],
    ["editor", "write"],
    ["facilitator", "write"],
  ] as const)("%s connects with %s access", (role, access) => {
    expect(syncAccess(role)).toBe(access);
  });
});

describe("answering an ownership request", () => {
  const pendingForNhs = { organisation_id: "nhs", status: "pending" as const };
  it("is allowed to an editor of the named organisation", () => {
    expect(canRespondToOwnership(nhs, "editor", pendingForNhs)).toBe(true);
  });
  it("is refused to an editor of another organisation", () => {
    expect(canRespondToOwnership(council, "editor", pendingForNhs)).toBe(false);
  });
  it("is refused to a facilitator of another organisation: nobody answers for a partner", () => {
    expect(canRespondToOwnership(facilitator, "facilitator", pendingForNhs)).toBe(false);
  });
  it("is refused to a commenter or viewer of the named organisation", () => {
    expect(canRespondToOwnership(nhs, "commenter", pendingForNhs)).toBe(false);
    expect(canRespondToOwnership(nhs, "viewer", pendingForNhs)).toBe(false);
  });
  it("is refused once the request is no longer pending", () => {
    expect(canRespondToOwnership(nhs, "editor", { organisation_id: "nhs", status: "accepted" })).toBe(false);
  });
});

describe("removing an owner", () => {
  const acceptedNhs = { organisation_id: "nhs", status: "accepted" as const, requested_by: 2 };
  const pendingNhsByCouncil = { organisation_id: "nhs", status: "pending" as const, requested_by: 1 };
  it("lets an organisation withdraw itself", () => {
    expect(canRemoveOwner(nhs, "editor", acceptedNhs)).toBe(true);
  });
  it("does not let one partner push another out", () => {
    expect(canRemoveOwner(council, "editor", acceptedNhs)).toBe(false);
  });
  it("lets the requester withdraw their own pending request", () => {
    expect(canRemoveOwner(council, "editor", pendingNhsByCouncil)).toBe(true);
    expect(canRemoveOwner(scrutiny, "editor", pendingNhsByCouncil)).toBe(false);
  });
  it("lets a facilitator remove anyone, and nobody below editor remove anything", () => {
    expect(canRemoveOwner(facilitator, "facilitator", acceptedNhs)).toBe(true);
    expect(canRemoveOwner(nhs, "commenter", acceptedNhs)).toBe(false);
  });
});

describe("partnership roles", () => {
  it("only admins administer; facilitators and admins create plans", () => {
    expect([council, facilitator, admin].map(canAdminister)).toEqual([false, false, true]);
    expect([council, facilitator, admin].map(canCreatePlan)).toEqual([false, true, true]);
  });
});
