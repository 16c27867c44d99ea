import { describe, expect, it } from "vitest";
import {
  canCreateWorkshop,
  canInWorkshop,
  canEditIdea,
  canRemoveIdea,
  canWhilePlanLocked,
  syncAccess,
  workshopRole,
  type EffectivePlanRole,
  type PlanPermission,
  type WorkshopPermission,
  type WorkshopRole,
} from "../../server/policy";

const live = { id: "w1", status: "live" as const };

describe("workshopRole", () => {
  it.each([
    [{ kind: "user", planRole: "facilitator", organisationInvited: false }, "facilitator"],
    [{ kind: "user", planRole: "editor", organisationInvited: false }, "participant"],
    [{ kind: "user", planRole: "viewer", organisationInvited: false }, "participant"],
    // An invited organisation takes part without any right on the plan.
    [{ kind: "user", planRole: "none", organisationInvited: true }, "participant"],
    [{ kind: "user", planRole: "none", organisationInvited: false }, "none"],
    [{ kind: "guest", guestWorkshopId: "w1" }, "guest"],
  ] as const)("gives %o the role %s in a live workshop", (viewer, role) => {
    expect(workshopRole(viewer, live)).toBe(role);
  });

  it("scopes a guest to the one workshop they joined", () => {
    expect(workshopRole({ kind: "guest", guestWorkshopId: "w2" }, live)).toBe("none");
  });

  it("ends a guest's role when the workshop closes, but not a partner's", () => {
    const closed = { id: "w1", status: "closed" as const };
    expect(workshopRole({ kind: "guest", guestWorkshopId: "w1" }, closed)).toBe("none");
    expect(workshopRole({ kind: "user", planRole: "editor", organisationInvited: false }, closed)).toBe("participant");
  });
});

describe("canInWorkshop: every role, permission and status", () => {
  const roles: WorkshopRole[] = ["facilitator", "participant", "guest", "none"];
  const statuses = ["scheduled", "live", "closed"] as const;
  const expected: Record<WorkshopPermission, (role: WorkshopRole, status: (typeof statuses)[number]) => boolean> = {
    "workshop:view": (r) => r !== "none",
    "workshop:add-idea": (r, s) => r !== "none" && s === "live",
    "workshop:vote": (r, s) => (r === "participant" || r === "guest") && s === "live",
    "workshop:run": (r, s) => r === "facilitator" && s !== "closed",
    "workshop:view-record": (r) => r === "facilitator" || r === "participant",
  };
  for (const [permission, rule] of Object.entries(expected) as [WorkshopPermission, (typeof expected)[WorkshopPermission]][]) {
    for (const role of roles) {
      for (const status of statuses) {
        it(`${role} ${rule(role, status) ? "may" : "may not"} ${permission} when ${status}`, () => {
          expect(canInWorkshop(role, permission, status)).toBe(rule(role, status));
        });
      }
    }
  }
});

describe("the plan lock held by a workshop", () => {
  const locked: PlanPermission[] = ["plan:edit-text", "action:create", "action:edit-details", "ownership:propose"];
  const open: PlanPermission[] = ["plan:view", "plan:comment", "plan:manage"];

  it("keeps changes to the plan for facilitators while locked", () => {
    for (const p of locked) {
      expect(canWhilePlanLocked("editor", p, true)).toBe(false);
      expect(canWhilePlanLocked("facilitator", p, true)).toBe(true);
      expect(canWhilePlanLocked("editor", p, false)).toBe(true);
    }
  });

  it("leaves reading and commenting alone, and never grants what the role lacks", () => {
    for (const p of open) {
      for (const role of ["viewer", "commenter", "editor", "facilitator"] as EffectivePlanRole[]) {
        expect(canWhilePlanLocked(role, p, true)).toBe(canWhilePlanLocked(role, p, false));
      }
    }
    expect(canWhilePlanLocked("viewer", "plan:edit-text", false)).toBe(false);
  });

  it("makes the sync server give non-facilitators read-only access while locked", () => {
    expect(syncAccess("editor", true)).toBe("read");
    expect(syncAccess("commenter", true)).toBe("read");
    expect(syncAccess("facilitator", true)).toBe("write");
    expect(syncAccess("none", true)).toBe("none");
    expect(syncAccess("editor", false)).toBe("write");
    expect(syncAccess("editor")).toBe("write");
  });
});

describe("who creates workshops and removes ideas", () => {
  it("lets only facilitators create workshops", () => {
    expect(canCreateWorkshop("facilitator")).toBe(true);
    for (const r of ["editor", "commenter", "viewer", "none"] as EffectivePlanRole[]) expect(canCreateWorkshop(r)).toBe(false);
  });

  it("lets the author or the facilitator remove an idea, nobody else", () => {
    const idea = { participant_id: 7, group_id: null, merged_into_id: null };
    expect(canRemoveIdea("guest", idea, 7)).toBe(true);
    expect(canRemoveIdea("participant", idea, 8)).toBe(false);
    expect(canRemoveIdea("facilitator", idea, 1)).toBe(true);
    expect(canRemoveIdea("none", idea, 7)).toBe(false);
    expect(canRemoveIdea("participant", idea, null)).toBe(false);
  });

  it("keeps an idea its author's to edit or withdraw only until the facilitator organises it", () => {
    const fresh = { participant_id: 7, group_id: null, merged_into_id: null };
    for (const check of [canEditIdea, canRemoveIdea]) {
      expect(check("participant", fresh, 7)).toBe(true);
      expect(check("participant", { ...fresh, group_id: 3 }, 7)).toBe(false);
      expect(check("guest", { ...fresh, merged_into_id: 9 }, 7)).toBe(false);
      expect(check("facilitator", { ...fresh, group_id: 3 }, 1)).toBe(true);
      // An anonymous idea has no author on record: only the facilitator may change it.
      expect(check("participant", { ...fresh, participant_id: null }, 7)).toBe(false);
      expect(check("facilitator", { ...fresh, participant_id: null }, 1)).toBe(true);
    }
  });
});
