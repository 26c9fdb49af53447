import { serve } from "inngest/next";
import { inngest } from "@/inngest/client";
import { functions } from "@/inngest/functions";

// Requests are authenticated by Inngest's signature (INNGEST_SIGNING_KEY),
// checked by serve() itself outside dev mode.
export const { GET, POST, PUT } = serve({ client: inngest, functions });
