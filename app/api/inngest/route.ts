import { serve } from "inngest/next";
import { inngest } from "@/inngest/client";
import { functions } from "@/inngest/functions";
import { createReplayGuard, refuseReplays } from "@/lib/security/inngest-replay";

// Requests are authenticated by Inngest's signature (INNGEST_SIGNING_KEY),
// checked by serve() itself outside dev mode (the only mode `npm start` and
// the tests use unless the operator sets INNGEST_DEV); a replayed signature
// is refused before it reaches serve().
const handlers = serve({ client: inngest, functions });
const replays = createReplayGuard();

export const GET = handlers.GET;
export const POST = refuseReplays(replays, handlers.POST);
export const PUT = refuseReplays(replays, handlers.PUT);
