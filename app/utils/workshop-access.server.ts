import { redirect, type AppLoadContext } from "@remix-run/node";
import { findGuestSession, guestTokenFromCookieHeader } from "../../server/auth/guest-sessions";
import type { SessionUser } from "../../server/auth/sessions";
import { DomainError } from "../../server/domain/errors";
import {
  resolveWorkshopAccess,
  type WorkshopAccess,
  type WorkshopChange,
  type WorkshopPrincipal,
} from "../../server/domain/workshops/access";
import { GUEST_ENDED_MESSAGE } from "~/components/workshop/messages";
import { actorOf, getUser } from "./auth.server";
import { planDocumentIds } from "../../db/queries/plan-cycle";

export interface WorkshopCaller {
  principal: WorkshopPrincipal | null;
  user: SessionUser | null;
  /** A guest cookie came with the request but no longer opens anything (the workshop closed). */
  guestEnded: boolean;
}

/** A signed-in person first; otherwise a guest session, which only workshop routes accept. */
export async function workshopCaller(request: Request, context: AppLoadContext): Promise<WorkshopCaller> {
  const user = await getUser(request, context);
  if (user) return { principal: { kind: "user", actor: actorOf(user), name: user.name }, user, guestEnded: false };
  const token = await guestTokenFromCookieHeader(context.app.guestCookie, request.headers.get("Cookie"));
  if (!token) return { principal: null, user: null, guestEnded: false };
  const guest = await findGuestSession(context.app.db, token);
  if (!guest) return { principal: null, user: null, guestEnded: true };
  return {
    principal: { kind: "guest", workshopId: guest.workshopId, participantId: guest.participantId, name: guest.displayName },
    user: null,
    guestEnded: false,
  };
}

export { GUEST_ENDED_MESSAGE };

/** For page loaders: people without any session go to the join page (code or sign in). */
export async function requireWorkshopPage(
  request: Request,
  context: AppLoadContext,
  workshopId: string,
): Promise<{ access: WorkshopAccess; caller: WorkshopCaller }> {
  const caller = await workshopCaller(request, context);
  if (!caller.principal) {
    const url = new URL(request.url);
    const params = new URLSearchParams({ redirectTo: url.pathname + url.search });
    if (caller.guestEnded) params.set("ended", "1");
    throw redirect(`/join?${params.toString()}`);
  }
  try {
    return { access: await resolveWorkshopAccess(context.app.db, caller.principal, workshopId), caller };
  } catch (err) {
    if (err instanceof DomainError) throw new Response(err.message, { status: err.status });
    throw err;
  }
}

/** For actions and resource routes: a refusal with a message, never a redirect. */
export async function requireWorkshopCaller(
  request: Request,
  context: AppLoadContext,
  workshopId: string,
): Promise<{ access: WorkshopAccess; caller: WorkshopCaller }> {
  const caller = await workshopCaller(request, context);
  if (!caller.principal) {
    throw new DomainError(403, caller.guestEnded ? GUEST_ENDED_MESSAGE : "Sign in, or join with the workshop code, to take part.");
  }
  return { access: await resolveWorkshopAccess(context.app.db, caller.principal, workshopId), caller };
}

/**
 * After a change is committed: open workshop pages get the new state; a lock change re-checks
 * every live editor of the plan's documents at once (downgraded to read-only, or back) and
 * nudges open plan pages; a captured action shows up on the plan page.
 */
export async function publishWorkshopChange(context: AppLoadContext, change: WorkshopChange, actorName: string): Promise<void> {
  const { workshops, sync, events, db } = context.app;
  workshops.changed(change);
  if (change.lockChangedOnPlan) {
    const planId = change.lockChangedOnPlan;
    const docs = new Set(
      await planDocumentIds(db, planId),
    );
    await sync.refreshAccess((_principal, documentId) => docs.has(documentId), { documentIds: [...docs] });
    events.publish({ planId, kind: "plan", actorName, summary: change.summary });
  }
  if (change.actionCreated) {
    events.publish({
      planId: change.actionCreated.planId,
      kind: "action",
      actionId: change.actionCreated.actionId,
      actorName,
      summary: `${actorName} added the action “${change.actionCreated.title}” from a workshop.`,
    });
  }
}
