/**
 * Every server action of the app, with who may call it and a valid call
 * against fresh fixtures (action-fixtures.ts). The fault suite's authorization matrix and
 * bad-input tests are driven by it, and it is checked against the files on
 * disk: a "use server" export missing here fails the suite.
 */
import fs from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import type { Role } from "../../lib/auth/roles";
import type { Fixtures } from "./action-fixtures";

export { makeActionFixtures, type Fixtures } from "./action-fixtures";

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
