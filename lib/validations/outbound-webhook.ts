/**
 * Webhook endpoint forms, shared by the settings page, the server actions
 * and lib/outbound-webhooks. The URL's form is checked here; whether its
 * host resolves inward is checked by the domain function (it needs DNS).
 */
import { z } from "zod";
import { urlFormProblem } from "../outbound-webhooks/address-policy";
import { OUTBOUND_EVENT_TYPES } from "../outbound-webhooks/event-types";
import { ZId } from "./enrollment";
import { isStorableText, UNSTORABLE_TEXT_MESSAGE } from "./text";

export const ZWebhookUrl = z
  .string({ message: "Enter the endpoint's URL" })
  .trim()
  .min(1, "Enter the endpoint's URL")
  .max(2000, "At most 2,000 characters")
  .superRefine((url, ctx) => {
    const problem = urlFormProblem(url);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

export const ZWebhookEvents = z
  .array(z.enum(OUTBOUND_EVENT_TYPES, { message: "Unknown event type" }), { message: "Choose at least one event" })
  .min(1, "Choose at least one event")
  .max(OUTBOUND_EVENT_TYPES.length)
  .transform((events) => [...new Set(events)]);

export const ZWebhookDescription = z.string().trim().max(200, "At most 200 characters").refine(isStorableText, UNSTORABLE_TEXT_MESSAGE).default("");

export const ZCreateWebhookEndpoint = z.object({ url: ZWebhookUrl, description: ZWebhookDescription, events: ZWebhookEvents });
export type TCreateWebhookEndpoint = z.input<typeof ZCreateWebhookEndpoint>;

export const ZUpdateWebhookEndpoint = ZCreateWebhookEndpoint.extend({ id: ZId });
export type TUpdateWebhookEndpoint = z.input<typeof ZUpdateWebhookEndpoint>;

export const ZWebhookEndpointRef = z.object({ id: ZId });

export const ZSetWebhookEnabled = z.object({ id: ZId, enabled: z.boolean({ message: "Must be true or false" }) });

export const ZWebhookDeliveryRef = z.object({ deliveryId: ZId });

/** The delivery log's page: `?before=<delivery id>` cursor, newest first. */
export const ZDeliveryLogParams = z.object({ before: ZId.optional().catch(undefined) });
