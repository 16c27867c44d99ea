import { describe, expect, it } from "vitest";
import {
  canCreateEngagementProposal,
  canDeleteComment,
  canEditComment,
  canInviteCommenters,
  canModerateComments,
  canReadHiddenComment,
  canRemovePowerSharingRow,
  canReply,
  canResolveThread,
  canRespondToPowerSharing,
  canStartThread,
  canWithdrawPowerSharingRequest,
  powerSharingChange,
  type Actor,
  type EffectivePlanRole,
} from "../../server/policy";

const council: Actor = { userId: 1, organisationId: "bury-council", systemRole: "member" };
const councilColleague: Actor = { userId: 8, organisationId: "bury-council", systemRole: "member" };
const vcfAlliance: Actor = { userId: 2, organisationId: "vcf-alliance", systemRole: "member" };
const foodNetwork: Actor = { userId: 3, organisationId: "food-network", systemRole: "member" };
const facilitator: Actor = { userId: 5, organisationId: "bury-council", systemRole: "facilitator" };
const admin: Actor = { userId: 6, organisationId: "bury-council", systemRole: "admin" };

const ROLES: EffectivePlanRole[] = ["none", "viewer", "commenter", "editor", "facilitator"];

describe("starting proposals and inviting commenters", () => {
  it("lets facilitators, admins and members of editing organisations start a proposal, nobody else", () => {
    expect(canCreateEngagementProposal(facilitator, false)).toBe(true);
    expect(canCreateEngagementProposal(admin, false)).toBe(true);
    expect(canCreateEngagementProposal(council, true)).toBe(true);
    expect(canCreateEngagementProposal(foodNetwork, false)).toBe(false);
  });

  it("lets editors and facilitators invite commenters", () => {
    expect(ROLES.filter(canInviteCommenters)).toEqual(["editor", "facilitator"]);
  });
});

describe("comment threads", () => {
  const thread = { created_by: foodNetwork.userId, status: "open" as const };

  it("lets anyone who may comment start a thread; the text right is not needed", () => {
    expect(ROLES.filter(canStartThread)).toEqual(["commenter", "editor", "facilitator"]);
  });

  it("takes replies only on open threads, from commenters and up", () => {
    expect(ROLES.filter((r) => canReply(r, thread))).toEqual(["commenter", "editor", "facilitator"]);
    expect(ROLES.filter((r) => canReply(r, { ...thread, status: "resolved" }))).toEqual([]);
  });

  it("lets the thread's author or any editor resolve and reopen it, not another commenter or a viewer", () => {
    expect(canResolveThread(foodNetwork, "commenter", thread)).toBe(true);
    expect(canResolveThread({ ...foodNetwork, userId: 99 }, "commenter", thread)).toBe(false);
    expect(canResolveThread(council, "editor", thread)).toBe(true);
    expect(canResolveThread(facilitator, "facilitator", thread)).toBe(true);
    expect(canResolveThread(council, "viewer", thread)).toBe(false);
    // An author who lost the right to comment can no longer resolve.
    expect(canResolveThread(foodNetwork, "viewer", thread)).toBe(false);
  });
});

describe("comments", () => {
  const mine = { author_user_id: foodNetwork.userId, deleted_at: null, hidden_at: null };

  it("lets only the author edit or delete, whatever the other person's role", () => {
    expect(canEditComment(foodNetwork, "commenter", mine)).toBe(true);
    expect(canDeleteComment(foodNetwork, "commenter", mine)).toBe(true);
    for (const [actor, role] of [
      [council, "editor"],
      [facilitator, "facilitator"],
      [admin, "facilitator"],
      [{ ...foodNetwork, userId: 42 }, "commenter"],
    ] as const) {
      expect(canEditComment(actor, role, mine)).toBe(false);
      expect(canDeleteComment(actor, role, mine)).toBe(false);
    }
  });

  it("stops an author who lost the right to comment, and never edits a deleted or hidden comment", () => {
    expect(canEditComment(foodNetwork, "viewer", mine)).toBe(false);
    expect(canDeleteComment(foodNetwork, "viewer", mine)).toBe(false);
    expect(canEditComment(foodNetwork, "commenter", { ...mine, deleted_at: "2024-01-01" })).toBe(false);
    expect(canDeleteComment(foodNetwork, "commenter", { ...mine, deleted_at: "2024-01-01" })).toBe(false);
    expect(canEditComment(foodNetwork, "commenter", { ...mine, hidden_at: "2024-01-01" })).toBe(false);
    // ... but a hidden comment can still be taken down by its author.
    expect(canDeleteComment(foodNetwork, "commenter", { ...mine, hidden_at: "2024-01-01" })).toBe(true);
  });

  it("lets only facilitators hide, and shows hidden words only to them and the author", () => {
    expect(ROLES.filter(canModerateComments)).toEqual(["facilitator"]);
    const hidden = { ...mine, hidden_at: "2024-01-01" };
    expect(canReadHiddenComment(facilitator, "facilitator", hidden)).toBe(true);
    expect(canReadHiddenComment(foodNetwork, "commenter", hidden)).toBe(true);
    expect(canReadHiddenComment(council, "editor", hidden)).toBe(false);
    expect(canReadHiddenComment(vcfAlliance, "commenter", hidden)).toBe(false);
  });
});

describe("power-sharing", () => {
  it("sets an editor's own organisation's row directly, asks another partner, refuses commenters and viewers", () => {
    expect(powerSharingChange(council, "editor", "bury-council")).toBe("direct");
    expect(powerSharingChange(council, "editor", "vcf-alliance")).toBe("request");
    expect(powerSharingChange(facilitator, "facilitator", "bury-council")).toBe("direct");
    expect(powerSharingChange(facilitator, "facilitator", "vcf-alliance")).toBe("request");
    expect(powerSharingChange(foodNetwork, "commenter", "food-network")).toBe("refused");
    expect(powerSharingChange(council, "viewer", "bury-council")).toBe("refused");
  });

  it("lets only an editor of the named organisation answer: A cannot accept for B, not even as facilitator", () => {
    const request = { organisation_id: "vcf-alliance" };
    expect(canRespondToPowerSharing(vcfAlliance, "editor", request)).toBe(true);
    expect(canRespondToPowerSharing(council, "editor", request)).toBe(false);
    expect(canRespondToPowerSharing(facilitator, "facilitator", request)).toBe(false);
    expect(canRespondToPowerSharing(admin, "facilitator", request)).toBe(false);
    expect(canRespondToPowerSharing(vcfAlliance, "commenter", request)).toBe(false);
  });

  it("lets the requester, their organisation's editors or a facilitator withdraw a request", () => {
    const request = { requested_by: council.userId, requested_by_organisation_id: "bury-council" };
    expect(canWithdrawPowerSharingRequest(council, "editor", request)).toBe(true);
    expect(canWithdrawPowerSharingRequest(councilColleague, "editor", request)).toBe(true);
    expect(canWithdrawPowerSharingRequest({ ...facilitator, organisationId: "elsewhere" }, "facilitator", request)).toBe(true);
    expect(canWithdrawPowerSharingRequest(vcfAlliance, "editor", request)).toBe(false);
    expect(canWithdrawPowerSharingRequest(council, "commenter", request)).toBe(false);
  });

  it("lets only the partner itself withdraw what it agreed", () => {
    const row = { organisation_id: "vcf-alliance" };
    expect(canRemovePowerSharingRow(vcfAlliance, "editor", row)).toBe(true);
    expect(canRemovePowerSharingRow(council, "editor", row)).toBe(false);
    expect(canRemovePowerSharingRow(facilitator, "facilitator", row)).toBe(false);
    expect(canRemovePowerSharingRow(vcfAlliance, "commenter", row)).toBe(false);
  });
});
