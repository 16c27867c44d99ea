import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePlanRole } from "../../server/domain/plan-access";
import { DomainError } from "../../server/domain/errors";
import { actorOf, requireUser } from "~/utils/auth.server";

/**
 * Server-Sent Events: a nudge to open pages that a fact of record changed. The page then
 * reloads its data through the loader, so what it shows always comes from SQL and the policy.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const planId = params.planId ?? "";
  try {
    await requirePlanRole(context.app.db, actorOf(user), planId);
  } catch (err) {
    if (err instanceof DomainError) throw new Response(err.message, { status: err.status });
    throw err;
  }
  const encoder = new TextEncoder();
  let cleanup = () => {};
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (chunk: string) => {
        try {
          controller.enqueue(encoder.encode(chunk));
        } catch {
          cleanup();
        }
      };
      send("retry: 3000\n\n");
      const unsubscribe = context.app.events.subscribe(planId, (event) => {
        send(`event: change\ndata: ${JSON.stringify(event)}\n\n`);
      });
      // Comments keep proxies from closing an idle stream.
      const heartbeat = setInterval(() => send(": keep-alive\n\n"), 25_000);
      cleanup = () => {
        clearInterval(heartbeat);
        unsubscribe();
      };
      request.signal.addEventListener("abort", () => {
        cleanup();
        try {
          controller.close();
        } catch {
          /* already closed */
        }
      });
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
