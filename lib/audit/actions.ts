/**
 * Every action the audit log records, with its wording. Pure: the audit
 * page, its CSV export and docs/team.md read the same table.
 */
export const AUDIT_ACTIONS = {
  "sequence.create": "Created a sequence",
  "sequence.edit": "Edited a sequence's settings",
  "sequence.activate": "Activated a sequence",
  "sequence.pause": "Paused a sequence",
  "sequence.resume": "Resumed a sequence",
  "sequence.archive": "Archived a sequence",
  "sequence.duplicate": "Duplicated a sequence",
  "sequence.schedule": "Changed a sequence's schedule",
  "sequence.tracking": "Switched a sequence's open and click tracking",
  "sequence.publish": "Published a sequence's draft as a version",
  "sequence.discard_draft": "Discarded a sequence's draft",
  "step.add": "Added a step",
  "step.edit": "Edited a step",
  "step.delete": "Deleted a step",
  "step.reorder": "Reordered steps",
  "template.save": "Saved a step template",
  "template.rename": "Renamed a step template",
  "template.delete": "Deleted a step template",
  "snippet.create": "Created a snippet",
  "snippet.rename": "Renamed a snippet",
  "snippet.delete": "Deleted a snippet",
  "trigger.add": "Added an entry trigger",
  "trigger.remove": "Removed an entry trigger",
  "contact.enroll": "Enrolled a contact by hand",
  "contact.remove": "Removed a contact from a sequence",
  "contact.mark_replied": "Marked a contact as replied",
  "contact.create": "Created a contact",
  "contact.edit": "Edited a contact",
  "contact.score": "Changed a contact's lead score",
  "contact.tag": "Tagged contacts",
  "contact.untag": "Removed a tag from contacts",
  "contact.bulk_enroll": "Enrolled selected contacts in a sequence",
  "contact.delete": "Deleted a contact",
  "contact.import": "Imported contacts",
  "contact.export": "Exported contacts",
  "activity.export": "Exported the activity log",
  "api_key.create": "Created an API key",
  "api_key.revoke": "Revoked an API key",
  "mailbox.save": "Changed the mailbox settings",
  "mailbox.remove": "Disconnected the mailbox",
  "sender.create": "Added a sender",
  "sender.edit": "Edited a sender",
  "sender.delete": "Deleted a sender",
  "sender.default": "Changed the default sender",
  "user.invite": "Invited a user",
  "user.accept_invite": "Accepted an invitation",
  "user.role": "Changed a user's role",
  "user.deactivate": "Deactivated a user",
  "user.reactivate": "Reactivated a user",
  "user.password": "Changed their password",
  "user.password_reset": "Reset their password by email link",
  "webhook.create": "Added a webhook endpoint",
  "webhook.edit": "Edited a webhook endpoint",
  "webhook.enable": "Enabled a webhook endpoint",
  "webhook.disable": "Disabled a webhook endpoint",
  "webhook.auto_disable": "Disabled a webhook endpoint that failed for a day",
  "webhook.delete": "Deleted a webhook endpoint",
  "webhook.reveal_secret": "Revealed a webhook endpoint's signing secret",
  "webhook.rotate_secret": "Rotated a webhook endpoint's signing secret",
  "webhook.replay": "Replayed a webhook delivery",
} as const;

export type AuditAction = keyof typeof AUDIT_ACTIONS;

export const AUDIT_ACTION_CODES = Object.keys(AUDIT_ACTIONS) as AuditAction[];

export const AUDIT_OBJECT_TYPES = ["sequence", "template", "snippet", "contact", "api_key", "mailbox", "sender", "user", "export", "webhook"] as const;
export type AuditObjectType = (typeof AUDIT_OBJECT_TYPES)[number];

export const AUDIT_OBJECT_WORDINGS: Record<AuditObjectType, string> = {
  sequence: "Sequence",
  template: "Step template",
  snippet: "Snippet",
  contact: "Contact",
  api_key: "API key",
  mailbox: "Mailbox",
  sender: "Sender",
  user: "User",
  export: "Export",
  webhook: "Webhook endpoint",
};

export function auditActionWording(action: string): string {
  return (AUDIT_ACTIONS as Record<string, string>)[action] ?? action;
}
