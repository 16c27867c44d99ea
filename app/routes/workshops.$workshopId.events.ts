import type { LoaderFunctionArgs } from "@remix-run/node";
import { DomainError } from "../../server/domain/errors";
import { ensureParticipant, findParticipantId } from "../../server/domain/workshops/access";
import { sseFrame } from "../../server/workshops/live-hub";
import { requireWorkshopCaller } from "~/utils/workshop-access.server";

/** How often each stream gets the server's clock, so pages keep their estimate fresh. */
const CLOCK_MS = 15_000;

/**
 * The workshop's live state as Server-Sent Events: a full snapshot on every (re)connection, then
 * the parts that change. Guests' streams end when the facilitator closes the workshop.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const workshopId = params.workshopId ?? "";
  const { db, workshops } = context.app;
  let access;
  try {
    ({ access } = await requireWorkshopCaller(request, context, workshopId));
  } catch (err) {
    if (err instanceof DomainError) throw new Response(err.message, { status: err.status });
    throw err;
  }
  // Opening the live session counts as attending it.
  let participantId = await findParticipantId(db, access);
  if (participantId === null && access.workshop.status === "live") {
    const ensured = await ensureParticipant(db, access);
    participantId = ensured.participantId;
    if (ensured.created) workshops.mark(workshopId, ["participants"], [], "soon");
  }

  const encoder = new TextEncoder();
  let cleanup = () => {};
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      let open = true;
      const write = (frame: string) => {
        if (!open) return false;
        try {
          controller.enqueue(encoder.encode(frame));
          return true;
        } catch {
          cleanup();
          return false;
        }
      };
      const end = () => {
        cleanup();
        try {
          controller.close();
        } catch {
          /* already closed */
        }
      };
      write("retry: 2000\n\n");
      // Subscribe before reading the snapshot: a change in between arrives as a part, and the
      // page keeps whichever is newer by version.
      const unsubscribe = workshops.subscribe(workshopId, {
        participantId,
        guest: access.role === "guest",
        write,
        end,
      });
      const clock = setInterval(() => write(sseFrame("clock", { serverNow: Date.now() })), CLOCK_MS);
      cleanup = () => {
        open = false;
        clearInterval(clock);
        unsubscribe();
      };
      request.signal.addEventListener("abort", end);
      try {
        const snapshot = await workshops.snapshot(workshopId, participantId);
        if (snapshot) write(sseFrame("snapshot", { version: snapshot.version, serverNow: Date.now(), data: snapshot }));
      } catch (err) {
        context.app.log.error({ err, workshopId }, "could not read the workshop snapshot");
        end();
      }
    },
    cancel() {
      cleanup();
    },
  });
  return new Response(stream, {
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-cache, no-transform",
      Connection: "keep-alive",
      "X-Accel-Buffering": "no",
    },
  });
}
