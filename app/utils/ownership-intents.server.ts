import type { AppLoadContext } from "@remix-run/node";
import { z } from "zod";
import type { SessionUser } from "../../server/auth/sessions";
import { nameOwner, removeOwner, respondToOwnership, type OwnershipChange } from "../../server/domain/ownership";
import { actorOf } from "./auth.server";

const Id = z.string().min(1).max(200);

export const OwnershipIntent = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("name-owner"),
    actionId: Id,
    organisationId: z.string().min(1, "Choose a partner organisation from the list.").max(200),
    role: z.enum(["lead", "support"], { message: "Choose lead or supporting partner." }),
  }),
  z.object({ intent: z.literal("accept-ownership"), actionId: Id, organisationId: Id }),
  z.object({ intent: z.literal("decline-ownership"), actionId: Id, organisationId: Id }),
  z.object({ intent: z.literal("remove-owner"), actionId: Id, organisationId: Id }),
]);

export const OWNERSHIP_INTENTS = new Set(["name-owner", "accept-ownership", "decline-ownership", "remove-owner"]);

/** Runs one ownership change for the signed-in user and tells every open page of the plan. */
export async function handleOwnershipIntent(
  context: AppLoadContext,
  user: SessionUser,
  form: Record<string, unknown>,
): Promise<string> {
  const input = OwnershipIntent.parse(form);
  const { db, events, sync } = context.app;
  const actor = actorOf(user);
  let change: OwnershipChange;
  switch (input.intent) {
    case "name-owner":
      change = await nameOwner(db, actor, input, sync);
      break;
    case "accept-ownership":
    case "decline-ownership":
      change = await respondToOwnership(db, actor, { ...input, accept: input.intent === "accept-ownership" }, sync);
      break;
    case "remove-owner":
      change = await removeOwner(db, actor, input, sync);
      break;
  }
  events.publish({
    planId: change.planId,
    kind: "ownership",
    actionId: input.actionId,
    actorName: `${user.name} (${user.organisationName})`,
    summary: change.summary,
  });
  // Partners changed: an agreement they had reached may re-open (a new partner has to sign too).
  // The domain re-derived it in the same transaction as the change; here it is only announced.
  const agreement = change.agreement;
  if (agreement) {
    events.publish({ planId: agreement.planId, kind: "agreement", actionId: agreement.actionId, summary: agreement.summary });
  }
  return change.summary;
}
