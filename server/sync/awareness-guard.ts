/**
 * Presence is shown to partners as "who is here", so the server, not the client, says who a
 * cursor belongs to: identity fields are overwritten from the session, and a connection may only
 * speak for the awareness client ids it claimed first.
 */
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import type { SyncPrincipal } from "./types";
import { ProtocolError } from "./protocol";
import { presenceColour } from "../presence-colours";

export const MAX_CLIENT_IDS_PER_CONNECTION = 4;
export const MAX_AWARENESS_STATE_BYTES = 4096;

export function presenceIdentity(principal: SyncPrincipal) {
  return {
    name: `${principal.name} (${principal.organisationName})`,
    color: presenceColour(principal.userId),
    user: {
      id: principal.userId,
      name: principal.name,
      organisationId: principal.organisationId,
      organisationName: principal.organisationName,
    },
  };
}

export interface AwarenessClaims {
  /** True if the connection controls this client id now, claiming it if it may. */
  claim(clientId: number): boolean;
}

export interface GuardedAwareness {
  /** Re-encoded update holding only accepted, rewritten entries; null if nothing was accepted. */
  update: Uint8Array | null;
  ignored: { clientId: number; why: string }[];
}

export function guardAwarenessUpdate(
  incoming: Uint8Array,
  principal: SyncPrincipal,
  claims: AwarenessClaims,
): GuardedAwareness {
  const entries = decodeEntries(incoming);
  const identity = presenceIdentity(principal);
  const accepted: { clientId: number; clock: number; json: string }[] = [];
  const ignored: GuardedAwareness["ignored"] = [];
  for (const entry of entries) {
    if (Buffer.byteLength(entry.json, "utf8") > MAX_AWARENESS_STATE_BYTES) {
      ignored.push({ clientId: entry.clientId, why: "state larger than 4 KiB" });
      continue;
    }
    let state: unknown;
    try {
      state = JSON.parse(entry.json);
    } catch {
      ignored.push({ clientId: entry.clientId, why: "state is not JSON" });
      continue;
    }
    if (state !== null && (typeof state !== "object" || Array.isArray(state))) {
      ignored.push({ clientId: entry.clientId, why: "state is not an object" });
      continue;
    }
    if (!claims.claim(entry.clientId)) {
      ignored.push({ clientId: entry.clientId, why: "client id belongs to another connection or over the cap" });
      continue;
    }
    const rewritten = state === null ? null : { ...(state as Record<string, unknown>), ...identity };
    accepted.push({ clientId: entry.clientId, clock: entry.clock, json: JSON.stringify(rewritten) });
  }
  if (accepted.length === 0) return { update: null, ignored };
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, accepted.length);
  for (const entry of accepted) {
    encoding.writeVarUint(encoder, entry.clientId);
    encoding.writeVarUint(encoder, entry.clock);
    encoding.writeVarString(encoder, entry.json);
  }
  return { update: encoding.toUint8Array(encoder), ignored };
}

function decodeEntries(update: Uint8Array): { clientId: number; clock: number; json: string }[] {
  try {
    const decoder = decoding.createDecoder(update);
    const count = decoding.readVarUint(decoder);
    const entries = [];
    for (let i = 0; i < count; i++) {
      const clientId = decoding.readVarUint(decoder);
      const clock = decoding.readVarUint(decoder);
      const json = decoding.readVarString(decoder);
      entries.push({ clientId, clock, json });
    }
    if (decoding.hasContent(decoder)) throw new Error("trailing bytes");
    return entries;
  } catch {
    throw new ProtocolError("malformed awareness update");
  }
}
