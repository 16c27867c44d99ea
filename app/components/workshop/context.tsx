import { createContext, useContext } from "react";
import type { WorkshopRole } from "../../../server/policy";
import type { LiveState } from "./useWorkshopLive";

export interface SetupOptions {
  priorities: { id: string; label: string }[];
  actions: { id: string; label: string; priorityId: string | null }[];
  sections: { id: string; label: string }[];
  organisations: { id: string; name: string }[];
  /** On an engagement proposal ideas become commitments (no priority, no lead yet). */
  commitments?: boolean;
}

/** What every part of the workshop page needs: who I am, what I may do now, the live state. */
export interface WorkshopCtx {
  workshopId: string;
  planId: string;
  role: WorkshopRole;
  participantId: number | null;
  canSeePlan: boolean;
  status: "scheduled" | "live" | "closed";
  may: { run: boolean; addIdea: boolean; vote: boolean };
  setup: SetupOptions | null;
  state: LiveState;
}

export const WorkshopContext = createContext<WorkshopCtx | null>(null);

export function useWorkshopCtx(): WorkshopCtx {
  const ctx = useContext(WorkshopContext);
  if (!ctx) throw new Error("useWorkshopCtx outside a workshop page");
  return ctx;
}
