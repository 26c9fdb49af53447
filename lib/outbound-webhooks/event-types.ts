/**
 * The outbound webhook event types (docs/outbound-webhooks.md), with their
 * wording for the settings page. Pure: shared by forms, actions and docs.
 */
export const OUTBOUND_EVENT_TYPES = [
  "contact.enrolled",
  "step.sent",
  "step.failed",
  "contact.exited",
  "contact.opted_out",
  "contact.replied",
  "contact.bounced",
] as const;

export type OutboundEventType = (typeof OUTBOUND_EVENT_TYPES)[number];

export const OUTBOUND_EVENT_WORDINGS: Record<OutboundEventType, string> = {
  "contact.enrolled": "A contact was enrolled in a sequence",
  "step.sent": "A step's email was sent",
  "step.failed": "A step's email could not be sent",
  "contact.exited": "A contact left a sequence (with the reason)",
  "contact.opted_out": "A contact unsubscribed",
  "contact.replied": "A contact replied",
  "contact.bounced": "A contact's address bounced or complained",
};
