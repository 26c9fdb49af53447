/**
 * Every server action of the app, with who may call it and a valid call
 * against fresh fixtures. The fault suite's authorization matrix and
 * bad-input tests are driven by it, and it is checked against the files on
 * disk: a "use server" export missing here fails the suite.
 */
import fs from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import type { Role } from "../../lib/auth/roles";
import { createApiKey } from "../../lib/api-keys/manage";
import type { Db } from "../../lib/db/prisma";
import { createUnsubscribeToken } from "../../lib/email/unsubscribe-token";
import { createConfirmationToken } from "../../lib/contacts/signup-confirmation";
import { enrollContact } from "../../lib/sequences/enroll-contact";
import { updateStep } from "../../lib/sequences/step-mutations";
import { getDraftPreview } from "../../lib/sequences/versions/publish-draft";
import { createClickToken, createOpenToken } from "../../lib/tracking/token";
import { signUserToken } from "../../lib/team/tokens";
import { makeContact, makeSequence } from "./factories";

export type Fixtures = Awaited<ReturnType<typeof makeActionFixtures>>;

/** A small workspace on which every action in the catalog has a valid call. */
export async function makeActionFixtures(db: Db) {
  const suffix = randomUUID().slice(0, 8);
  // Rows that need nothing else are made concurrently, then what builds on them: a fixture set is
  // made for every allowed call of the matrix, and one after another its round trips were most of it.
  const [tag, contact, other, unsubscribed, active, draft, paused, enrolled, live, apiKey, stepTemplate, snippet, member, sender, inactive, webhook] = await Promise.all([
    db.tag.create({ data: { name: `vip-${suffix}` } }),
    makeContact(db, { email: `ada-${suffix}@example.com` }),
    makeContact(db, { email: `grace-${suffix}@example.com` }),
    makeContact(db, { email: `gone-${suffix}@example.com`, status: "unsubscribed", unsubscribedAt: new Date() }),
    makeSequence(db, { name: `Active ${suffix}`, steps: [{ delayAmount: 0, delayUnit: "minutes" }, { delayAmount: 1 }] }),
    makeSequence(db, { name: `Draft ${suffix}`, status: "draft", steps: [{ delayAmount: 0, delayUnit: "minutes" }, { delayAmount: 1 }] }),
    makeSequence(db, { name: `Paused ${suffix}`, status: "paused" }),
    makeContact(db, { email: `enrolled-${suffix}@example.com` }),
    makeSequence(db, { name: `Live ${suffix}`, steps: [{ delayAmount: 0, delayUnit: "minutes" }, { delayAmount: 1 }] }),
    createApiKey(db, { name: `Key ${suffix}` }),
    db.stepTemplate.create({ data: { name: `Welcome ${suffix}`, subject: "Welcome", body: "Hello {{firstName|there}}" } }),
    db.snippet.create({ data: { name: `Signature ${suffix}`, body: "Ada, Acme" } }),
    db.user.create({ data: { email: `member-${suffix}@example.com`, name: "Member", role: "marketer", passwordHash: "x" } }),
    db.sender.create({ data: { fromName: `Sales ${suffix}`, fromAddress: `sales-${suffix}@example.com` } }),
    db.user.create({ data: { email: `inactive-${suffix}@example.com`, name: "Inactive", role: "viewer", passwordHash: "x", deactivatedAt: new Date() } }),
    webhookWithFailedDelivery(db, suffix),
  ]);
  const [{ tagged, draftTrigger }, tracked, previewToken] = await Promise.all([
    (async () => {
      const tagged = await makeContact(db, { email: `tagged-${suffix}@example.com`, tags: { create: { tagId: tag.id } } });
      return { tagged, draftTrigger: await db.sequenceTrigger.create({ data: { sequenceId: draft.id, type: "tag_added", tagId: tag.id } }) };
    })(),
    // One after the other: both write the active sequence's counters.
    (async () => {
      const enrollment = await enrollContact(db, { contactId: enrolled.id, sequenceId: active.id, source: "manual" });
      if (enrollment.outcome !== "enrolled") throw new Error(`fixture enrollment: ${enrollment.outcome}`);
      return sentMessageWithLink(db, active.steps[0].id);
    })(),
    // A sequence someone is in, with an unpublished edit (a draft) and its preview's token.
    (async () => {
      const liveEnrollment = await enrollContact(db, { contactId: other.id, sequenceId: live.id, source: "manual" });
      if (liveEnrollment.outcome !== "enrolled") throw new Error(`fixture enrollment: ${liveEnrollment.outcome}`);
      await updateStep(db, { sequenceId: live.id, stepId: live.steps[1].id, subject: "Edited in a draft", body: "Draft body", delayAmount: 2, delayUnit: "days" });
      return (await getDraftPreview(db, { sequenceId: live.id, backfill: false })).token;
    })(),
  ]);
  /** A fresh invitation (or reset link) per call, and its signed token. */
  const userToken = async (kind: "invite" | "password_reset") => {
    const email = `${kind === "invite" ? "invitee" : "resetter"}-${randomUUID().slice(0, 8)}@example.com`;
    const userId = kind === "password_reset" ? (await db.user.create({ data: { email, name: "Resetter", role: "viewer", passwordHash: "x" } })).id : null;
    const row = await db.userToken.create({ data: { kind, email, role: kind === "invite" ? "marketer" : null, userId, expiresAt: new Date(Date.now() + 3_600_000) } });
    return { email, token: signUserToken(kind, row.id, row.expiresAt) };
  };
  /** A fresh pending signup (double opt-in) per call, and its confirmation token. */
  const confirmToken = async () => {
    const pending = await db.pendingSignup.create({ data: { email: `pending-${randomUUID().slice(0, 8)}@example.com`, firstName: "Pat", expiresAt: new Date(Date.now() + 3_600_000) } });
    return { email: pending.email, token: createConfirmationToken(pending.id, pending.expiresAt) };
  };
  return {
    confirmToken,
    userToken,
    member: { id: member.id },
    inactive: { id: inactive.id },
    /** A sender no sequence uses and not the default. */
    sender: { id: sender.id },
    suffix,
    tag,
    contact,
    other,
    tagged,
    unsubscribed,
    enrolled,
    active: { id: active.id, stepIds: active.steps.map((s) => s.id) },
    draft: { id: draft.id, stepIds: draft.steps.map((s) => s.id), triggerId: draftTrigger.id },
    paused: { id: paused.id },
    live: { id: live.id, previewToken },
    apiKey: { id: apiKey.apiKey.id, key: apiKey.key },
    stepTemplate: { id: stepTemplate.id },
    snippet: { id: snippet.id },
    webhook,
    token: () => createUnsubscribeToken({ contactId: contact.id }),
    /** Tokens of a sent message's tracked link 0 and open pixel (app/r, app/o). */
    clickToken: createClickToken({ sendId: tracked.sendId, index: 0 }),
    openToken: createOpenToken(tracked.sendId),
  };
}

/**
 * A webhook endpoint (on a documentation address: no DNS, never reached) with one failed delivery to replay.
 * It subscribes to step.failed, which no fixture or action emits: subscribed to contact.enrolled, every
 * endpoint got a delivery of every later fixture's enrollments, and the rows (which dataFingerprint reads
 * before and after each call) grew with the square of the fixture sets made (10,000 after 100).
 */
async function webhookWithFailedDelivery(db: Db, suffix: string) {
  const endpoint = await db.webhookEndpoint.create({ data: { url: `https://203.0.113.10/hooks/${suffix}`, events: ["step.failed"], secret: "whsec_dGVzdC1zZWNyZXQtMDEyMzQ1Njc4OWFiY2RlZg==" } });
  const event = await db.webhookEvent.create({ data: { id: `msg_${randomUUID().replace(/-/g, "")}`, type: "contact.enrolled", payload: { type: "contact.enrolled", data: {} } } });
  const delivery = await db.webhookDelivery.create({ data: { eventId: event.id, endpointId: endpoint.id, status: "failed", attempts: 8 } });
  return { id: endpoint.id, deliveryId: delivery.id };
}

/** A contact who completed `stepId`'s sequence and was sent it, with one stored link. */
async function sentMessageWithLink(db: Db, stepId: string) {
  const step = await db.sequenceStep.findUniqueOrThrow({ where: { id: stepId }, select: { sequenceId: true } });
  const reader = await makeContact(db, { email: `reader-${randomUUID().slice(0, 8)}@example.com` });
  const enrollment = await db.enrollment.create({ data: { contactId: reader.id, sequenceId: step.sequenceId, status: "completed", exitReason: "completed", exitedAt: new Date(Date.now() - 3_600_000), source: "manual" } });
  const send = await db.stepSend.create({ data: { enrollmentId: enrollment.id, stepId, status: "sent", sentAt: new Date(Date.now() - 3_600_000), links: { create: { index: 0, url: "https://example.com/welcome" } } } });
  return { sendId: send.id };
}

/** How an action decides who may call it. */
export type ActionAccess =
  | { kind: "role"; role: Role }
  /** No session by design; the action authorizes by its own means (`by`). */
  | {
      kind: "public";
      by:
        | "password"
        | "unsubscribe-token"
        | "signup-confirmation-token"
        | "anyone (rate-limited signup)"
        | "anyone (ends the caller's own session)"
        | "invitation-token"
        | "password-reset-token"
        | "anyone (rate-limited, same answer for every address)";
    };

type AnyAction = (...args: never[]) => Promise<unknown>;

export type CatalogEntry = {
  file: string;
  exportName: string;
  access: ActionAccess;
  /** The one input object of an authedAction. */
  input?: (fx: Fixtures) => Record<string, unknown>;
  /** A successful call ends every session of the caller (a password change): tests sign that role in again. */
  endsCallerSessions?: true;
  /** The form fields of a (prevState, formData) action. */
  form?: (fx: Fixtures) => Record<string, string> | Promise<Record<string, string>>;
};

const role = (r: Role) => ({ kind: "role", role: r }) as const;

export const ACTION_CATALOG: CatalogEntry[] = [
  { file: "lib/actions/auth/sign-in.ts", exportName: "signInAction", access: { kind: "public", by: "password" }, form: () => ({ email: "nobody@example.com", password: "wrong" }) },
  { file: "lib/actions/auth/sign-out.ts", exportName: "signOutAction", access: { kind: "public", by: "anyone (ends the caller's own session)" } },
  { file: "lib/actions/signup/sign-up-action.ts", exportName: "signUpAction", access: { kind: "public", by: "anyone (rate-limited signup)" }, form: (fx) => ({ email: `new-${fx.suffix}@example.com`, firstName: "New" }) },
  { file: "lib/actions/signup/confirm-signup-action.ts", exportName: "confirmSignupAction", access: { kind: "public", by: "signup-confirmation-token" }, form: async (fx) => ({ token: (await fx.confirmToken()).token }) },
  { file: "lib/actions/auth/accept-invite-action.ts", exportName: "acceptInviteAction", access: { kind: "public", by: "invitation-token" }, form: async (fx) => ({ token: (await fx.userToken("invite")).token, name: "New Member", password: "a long and unusual passphrase" }) },
  { file: "lib/actions/auth/request-password-reset-action.ts", exportName: "requestPasswordResetAction", access: { kind: "public", by: "anyone (rate-limited, same answer for every address)" }, form: (fx) => ({ email: `member-${fx.suffix}@example.com` }) },
  { file: "lib/actions/auth/reset-password-action.ts", exportName: "resetPasswordAction", access: { kind: "public", by: "password-reset-token" }, form: async (fx) => ({ token: (await fx.userToken("password_reset")).token, password: "a long and unusual passphrase" }) },
  {
    file: "lib/actions/account/change-password-action.ts",
    exportName: "changePasswordAction",
    access: role("viewer"),
    endsCallerSessions: true,
    input: () => ({ currentPassword: "fault-suite-password", newPassword: "a long and unusual passphrase" }),
  },
  { file: "lib/actions/unsubscribe/unsubscribe-action.ts", exportName: "unsubscribeAction", access: { kind: "public", by: "unsubscribe-token" }, form: (fx) => ({ token: fx.token() }) },
  { file: "lib/actions/unsubscribe/resubscribe-action.ts", exportName: "resubscribeAction", access: { kind: "public", by: "unsubscribe-token" }, form: (fx) => ({ token: fx.token() }) },

  { file: "lib/actions/contacts/bulk-add-tag-action.ts", exportName: "bulkAddTagAction", access: role("marketer"), input: (fx) => ({ contactIds: [fx.contact.id, fx.other.id], tagName: "Newsletter" }) },
  { file: "lib/actions/contacts/bulk-enroll-action.ts", exportName: "bulkEnrollAction", access: role("marketer"), input: (fx) => ({ contactIds: [fx.other.id], sequenceId: fx.active.id }) },
  { file: "lib/actions/contacts/bulk-remove-tag-action.ts", exportName: "bulkRemoveTagAction", access: role("marketer"), input: (fx) => ({ contactIds: [fx.tagged.id], tagName: fx.tag.name }) },
  { file: "lib/actions/contacts/delete-contact-action.ts", exportName: "deleteContactAction", access: role("marketer"), input: (fx) => ({ contactId: fx.other.id }) },
  {
    file: "lib/actions/contacts/import-contacts-action.ts",
    exportName: "importContactsAction",
    access: role("marketer"),
    input: (fx) => ({ rows: [{ line: 2, values: [`imported-${fx.suffix}@example.com`, "Imported"] }], mapping: [{ target: "email" }, { target: "firstName" }], fireTriggers: false }),
  },
  {
    file: "lib/actions/contacts/preview-import-action.ts",
    exportName: "previewImportAction",
    access: role("marketer"),
    input: (fx) => ({ emails: [fx.contact.email, `unknown-${fx.suffix}@example.com`] }),
  },
  { file: "lib/actions/contacts/mark-replied-action.ts", exportName: "markRepliedAction", access: role("marketer"), input: (fx) => ({ contactId: fx.enrolled.id, sequenceId: fx.active.id }) },
  { file: "lib/actions/contacts/resubscribe-contact-action.ts", exportName: "resubscribeContactAction", access: role("marketer"), input: (fx) => ({ contactId: fx.unsubscribed.id }) },
  { file: "lib/actions/contacts/set-lead-score-action.ts", exportName: "setLeadScoreAction", access: role("marketer"), input: (fx) => ({ contactId: fx.contact.id, score: 42 }) },
  { file: "lib/actions/contacts/unsubscribe-contact-action.ts", exportName: "unsubscribeContactAction", access: role("marketer"), input: (fx) => ({ contactId: fx.contact.id }) },
  {
    file: "lib/actions/contacts/update-contact-profile-action.ts",
    exportName: "updateContactProfileAction",
    access: role("marketer"),
    input: (fx) => ({ contactId: fx.contact.id, firstName: "Ada", lastName: "Lovelace", timezone: "Europe/London", attributes: [{ key: "company", value: "Analytical Engines" }] }),
  },

  { file: "lib/actions/sequences/set-sequence-tracking-action.ts", exportName: "setSequenceTrackingAction", access: role("marketer"), input: (fx) => ({ sequenceId: fx.active.id, enabled: false }) },
  { file: "lib/actions/authoring/preview-step-action.ts", exportName: "previewStepAction", access: role("marketer"), input: (fx) => ({ subject: "Hi {{firstName}}", body: "Hello {{company|there}}", contactId: fx.contact.id }) },
  { file: "lib/actions/authoring/send-test-step-action.ts", exportName: "sendTestStepAction", access: role("marketer"), input: (fx) => ({ subject: "Hi {{firstName}}", body: "Hello", contactId: fx.contact.id }) },
  { file: "lib/actions/authoring/find-preview-contacts-action.ts", exportName: "findPreviewContactsAction", access: role("marketer"), input: (fx) => ({ query: fx.suffix }) },
  { file: "lib/actions/authoring/list-merge-tags-action.ts", exportName: "listMergeTagsAction", access: role("marketer"), input: () => ({}) },

  { file: "lib/actions/templates/save-template-action.ts", exportName: "saveTemplateAction", access: role("marketer"), input: () => ({ name: `Saved ${randomUUID()}`, subject: "Hi {{firstName}}", body: "Hello {{firstName|there}}" }) },
  { file: "lib/actions/templates/rename-template-action.ts", exportName: "renameTemplateAction", access: role("marketer"), input: (fx) => ({ id: fx.stepTemplate.id, name: `Renamed ${randomUUID()}` }) },
  { file: "lib/actions/templates/delete-template-action.ts", exportName: "deleteTemplateAction", access: role("marketer"), input: (fx) => ({ id: fx.stepTemplate.id }) },
  { file: "lib/actions/templates/list-templates-action.ts", exportName: "listTemplatesAction", access: role("marketer"), input: (fx) => ({ query: fx.suffix }) },
  { file: "lib/actions/templates/create-snippet-action.ts", exportName: "createSnippetAction", access: role("marketer"), input: () => ({ name: `Footer ${randomUUID()}`, body: "See you, {{firstName|friend}}" }) },
  { file: "lib/actions/templates/rename-snippet-action.ts", exportName: "renameSnippetAction", access: role("marketer"), input: (fx) => ({ id: fx.snippet.id, name: `Renamed ${randomUUID()}` }) },
  { file: "lib/actions/templates/delete-snippet-action.ts", exportName: "deleteSnippetAction", access: role("marketer"), input: (fx) => ({ id: fx.snippet.id }) },
  { file: "lib/actions/templates/list-snippets-action.ts", exportName: "listSnippetsAction", access: role("marketer"), input: (fx) => ({ query: fx.suffix }) },

  { file: "lib/actions/sequences/activate-sequence-action.ts", exportName: "activateSequenceAction", access: role("marketer"), input: (fx) => ({ sequenceId: fx.draft.id, manualOnly: false }) },
  {
    file: "lib/actions/sequences/add-step-action.ts",
    exportName: "addStepAction",
    access: role("marketer"),
    input: (fx) => ({ sequenceId: fx.draft.id, subject: "Hi {{firstName}}", body: "Hello", delayAmount: 2, delayUnit: "days" }),
  },
  { file: "lib/actions/sequences/add-trigger-action.ts", exportName: "addTriggerAction", access: role("marketer"), input: (fx) => ({ sequenceId: fx.draft.id, trigger: { type: "tag_added", tagName: "Webinar" } }) },
  { file: "lib/actions/sequences/archive-sequence-action.ts", exportName: "archiveSequenceAction", access: role("marketer"), input: (fx) => ({ sequenceId: fx.draft.id }) },
  { file: "lib/actions/sequences/create-sequence-action.ts", exportName: "createSequenceAction", access: role("marketer"), input: () => ({ name: "Onboarding", description: "", exitOnReply: true, reentryPolicy: "never" }) },
  { file: "lib/actions/sequences/delete-step-action.ts", exportName: "deleteStepAction", access: role("marketer"), input: (fx) => ({ sequenceId: fx.draft.id, stepId: fx.draft.stepIds[1] }) },
  { file: "lib/actions/sequences/discard-draft-action.ts", exportName: "discardDraftAction", access: role("marketer"), input: (fx) => ({ sequenceId: fx.live.id }) },
  { file: "lib/actions/sequences/duplicate-sequence-action.ts", exportName: "duplicateSequenceAction", access: role("marketer"), input: (fx) => ({ sequenceId: fx.active.id }) },
  { file: "lib/actions/sequences/enroll-contact-action.ts", exportName: "enrollContactAction", access: role("marketer"), input: (fx) => ({ sequenceId: fx.active.id, email: fx.other.email }) },
  { file: "lib/actions/sequences/pause-sequence-action.ts", exportName: "pauseSequenceAction", access: role("marketer"), input: (fx) => ({ sequenceId: fx.active.id }) },
  { file: "lib/actions/sequences/publish-draft-action.ts", exportName: "publishDraftAction", access: role("marketer"), input: (fx) => ({ sequenceId: fx.live.id, token: fx.live.previewToken, backfill: false }) },
  { file: "lib/actions/sequences/remove-from-sequence-action.ts", exportName: "removeFromSequenceAction", access: role("marketer"), input: (fx) => ({ contactId: fx.enrolled.id, sequenceId: fx.active.id }) },
  { file: "lib/actions/sequences/remove-trigger-action.ts", exportName: "removeTriggerAction", access: role("marketer"), input: (fx) => ({ sequenceId: fx.draft.id, triggerId: fx.draft.triggerId }) },
  { file: "lib/actions/sequences/reorder-steps-action.ts", exportName: "reorderStepsAction", access: role("marketer"), input: (fx) => ({ sequenceId: fx.draft.id, stepIds: [...fx.draft.stepIds].reverse() }) },
  { file: "lib/actions/sequences/resume-sequence-action.ts", exportName: "resumeSequenceAction", access: role("marketer"), input: (fx) => ({ sequenceId: fx.paused.id }) },
  {
    file: "lib/actions/sequences/update-sequence-schedule-action.ts",
    exportName: "updateSequenceScheduleAction",
    access: role("marketer"),
    input: (fx) => ({
      sequenceId: fx.draft.id,
      timezone: "Europe/Berlin",
      anyTime: false,
      days: [1, 2, 3, 4, 5],
      windowStart: "09:00",
      windowEnd: "17:00",
      holidayCountry: "DE",
      dailyCap: 50,
    }),
  },
  {
    file: "lib/actions/sequences/update-sequence-settings-action.ts",
    exportName: "updateSequenceSettingsAction",
    access: role("marketer"),
    input: (fx) => ({ sequenceId: fx.draft.id, name: "Renamed", description: "Now with a description", exitOnReply: false, reentryPolicy: "after_exit", senderId: fx.sender.id }),
  },
  {
    file: "lib/actions/sequences/update-step-action.ts",
    exportName: "updateStepAction",
    access: role("marketer"),
    input: (fx) => ({ sequenceId: fx.draft.id, stepId: fx.draft.stepIds[0], subject: "Edited", body: "Edited body", delayAmount: 5, delayUnit: "minutes" }),
  },

  { file: "lib/actions/settings/create-api-key-action.ts", exportName: "createApiKeyAction", access: role("admin"), input: () => ({ name: "Zapier" }) },
  { file: "lib/actions/settings/revoke-api-key-action.ts", exportName: "revokeApiKeyAction", access: role("admin"), input: (fx) => ({ id: fx.apiKey.id }) },
  // Port 1 on loopback: the connection test is refused at once, offline.
  {
    file: "lib/actions/settings/save-mailbox-action.ts",
    exportName: "saveMailboxAction",
    access: role("admin"),
    input: (fx) => ({ senderId: fx.sender.id, host: "127.0.0.1", port: 1, tls: false, username: `inbox-${fx.suffix}@example.com`, authMethod: "password", secret: "app-password", folder: "INBOX" }),
  },
  { file: "lib/actions/settings/invite-user-action.ts", exportName: "inviteUserAction", access: role("admin"), input: (fx) => ({ email: `invitee-${fx.suffix}@example.com`, role: "marketer" }) },
  { file: "lib/actions/settings/change-user-role-action.ts", exportName: "changeUserRoleAction", access: role("admin"), input: (fx) => ({ userId: fx.member.id, role: "viewer" }) },
  { file: "lib/actions/settings/deactivate-user-action.ts", exportName: "deactivateUserAction", access: role("admin"), input: (fx) => ({ userId: fx.member.id }) },
  { file: "lib/actions/settings/reactivate-user-action.ts", exportName: "reactivateUserAction", access: role("admin"), input: (fx) => ({ userId: fx.inactive.id }) },
  { file: "lib/actions/settings/test-mailbox-action.ts", exportName: "testMailboxAction", access: role("admin"), input: (fx) => ({ senderId: fx.sender.id }) },
  // null: the mailbox without a sender (the installation's, from before senders).
  { file: "lib/actions/settings/remove-mailbox-action.ts", exportName: "removeMailboxAction", access: role("admin"), input: () => ({ senderId: null }) },
  {
    file: "lib/actions/settings/create-sender-action.ts",
    exportName: "createSenderAction",
    access: role("admin"),
    input: (fx) => ({ fromName: "Support", fromAddress: `support-${fx.suffix}@example.com`, replyTo: `help-${fx.suffix}@example.com` }),
  },
  {
    file: "lib/actions/settings/update-sender-action.ts",
    exportName: "updateSenderAction",
    access: role("admin"),
    input: (fx) => ({ senderId: fx.sender.id, fromName: "Sales team", fromAddress: `sales-team-${fx.suffix}@example.com`, replyTo: "" }),
  },
  { file: "lib/actions/settings/delete-sender-action.ts", exportName: "deleteSenderAction", access: role("admin"), input: (fx) => ({ senderId: fx.sender.id }) },
  { file: "lib/actions/settings/set-default-sender-action.ts", exportName: "setDefaultSenderAction", access: role("admin"), input: (fx) => ({ senderId: fx.sender.id }) },
  // Webhook URLs on a documentation address (203.0.113.0/24): public, so allowed, and checked without DNS.
  // Events nothing in the suite emits (see webhookWithFailedDelivery): accepted creations must not multiply deliveries.
  {
    file: "lib/actions/settings/create-webhook-endpoint-action.ts",
    exportName: "createWebhookEndpointAction",
    access: role("admin"),
    input: (fx) => ({ url: `https://203.0.113.10/new/${fx.suffix}`, description: "CRM", events: ["step.failed", "step.sent"] }),
  },
  {
    file: "lib/actions/settings/update-webhook-endpoint-action.ts",
    exportName: "updateWebhookEndpointAction",
    access: role("admin"),
    input: (fx) => ({ id: fx.webhook.id, url: `https://203.0.113.11/edited/${fx.suffix}`, description: "Edited", events: ["step.sent"] }),
  },
  { file: "lib/actions/settings/set-webhook-endpoint-enabled-action.ts", exportName: "setWebhookEndpointEnabledAction", access: role("admin"), input: (fx) => ({ id: fx.webhook.id, enabled: false }) },
  { file: "lib/actions/settings/delete-webhook-endpoint-action.ts", exportName: "deleteWebhookEndpointAction", access: role("admin"), input: (fx) => ({ id: fx.webhook.id }) },
  { file: "lib/actions/settings/reveal-webhook-secret-action.ts", exportName: "revealWebhookSecretAction", access: role("admin"), input: (fx) => ({ id: fx.webhook.id }) },
  { file: "lib/actions/settings/rotate-webhook-secret-action.ts", exportName: "rotateWebhookSecretAction", access: role("admin"), input: (fx) => ({ id: fx.webhook.id }) },
  { file: "lib/actions/settings/replay-webhook-delivery-action.ts", exportName: "replayWebhookDeliveryAction", access: role("admin"), input: (fx) => ({ deliveryId: fx.webhook.deliveryId }) },
];

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full) : /\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

/** Files under lib/actions that start with "use server": each export is a public endpoint. */
export function serverActionFilesOnDisk(root = process.cwd()): string[] {
  return filesUnder(path.join(root, "lib/actions"))
    .filter((file) => /^\s*(["'])use server\1/.test(fs.readFileSync(file, "utf8")))
    .map((file) => path.relative(root, file).split(path.sep).join("/"))
    .sort();
}

/** Every exported function of those files, as "file#export", loaded for real. */
export async function serverActionsOnDisk(root = process.cwd()): Promise<{ id: string; file: string; exportName: string; fn: AnyAction }[]> {
  const found = [];
  for (const file of serverActionFilesOnDisk(root)) {
    const mod = (await import(/* @vite-ignore */ path.join(root, file))) as Record<string, unknown>;
    for (const [exportName, value] of Object.entries(mod)) {
      if (typeof value === "function") found.push({ id: `${file}#${exportName}`, file, exportName, fn: value as AnyAction });
    }
  }
  return found;
}

/** A FormData with these fields, as a form post builds it. */
export function formDataOf(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields)) data.set(key, value);
  return data;
}
