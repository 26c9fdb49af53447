import { Inngest } from "inngest";
import { inngestLogger } from "./logger";
import { HideErrorDetails } from "./middleware/hide-error-details";

/**
 * The app's Inngest client. Configuration comes from the environment:
 * INNGEST_EVENT_KEY / INNGEST_SIGNING_KEY for Inngest Cloud or a self-hosted
 * Inngest; INNGEST_DEV=1 (+ INNGEST_BASE_URL) for the dev server or the
 * repo's local executor.
 */
export const inngest = new Inngest({ id: "stepwise", logger: inngestLogger, middleware: [HideErrorDetails] });
