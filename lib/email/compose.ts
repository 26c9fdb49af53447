/**
 * A step's message for one contact with this installation's settings: the
 * one call behind real sends (lib/sequences/run-step.ts), the builder's
 * preview and "send a test". Only the unsubscribe token differs: a real one
 * for sends, the inert TEST_UNSUBSCRIBE_TOKEN for previews and tests.
 */
import { mailConfig } from "./config";
import { renderStepMessage, type MergeContact, type RenderedMessage } from "./render";

/** Not a signed token: the unsubscribe page says it belongs to a test message and changes nothing. */
export const TEST_UNSUBSCRIBE_TOKEN = "test-message";

/** `senderName`: the footer's (CAN-SPAM) name of whom the message is from (lib/senders/identity.ts). */
export function composeStepMessage(input: { subject: string; body: string; contact: MergeContact; unsubscribeToken: string; senderName: string }): RenderedMessage {
  const config = mailConfig();
  return renderStepMessage({
    subject: input.subject,
    body: input.body,
    contact: input.contact,
    unsubscribeUrl: `${config.appUrl}/unsubscribe/${input.unsubscribeToken}`,
    oneClickUrl: `${config.appUrl}/api/unsubscribe/${input.unsubscribeToken}`,
    postalAddress: config.postalAddress,
    senderName: input.senderName,
  });
}
