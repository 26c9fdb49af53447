import "server-only";
/**
 * What an audited object looks like, read inside the change's transaction
 * before and after it: the before/after of an audit row. Secrets (hashes,
 * the mailbox password) are never part of a snapshot.
 */
import { createHash } from "node:crypto";
import type { Tx } from "../db/prisma";
import type { Prisma } from "../generated/prisma/client";
import type { AuditObjectType } from "./actions";

/** The object an audited action changes; `sequenceId` narrows a contact to one sequence. */
export type AuditObject = { type: AuditObjectType; id?: string; sequenceId?: string };

export type Snapshot = { label: string | null; state: Prisma.InputJsonValue } | null;

/** The object's current state, or null when it does not exist (yet). */
export async function snapshotOf(tx: Tx, object: AuditObject): Promise<Snapshot> {
  switch (object.type) {
    case "sequence":
      return object.id ? sequenceSnapshot(tx, object.id) : null;
    case "contact":
      return object.id ? contactSnapshot(tx, object.id, object.sequenceId) : null;
    case "api_key": {
      if (!object.id) return null;
      const key = await tx.apiKey.findUnique({ where: { id: object.id }, select: { name: true, prefix: true, revokedAt: true } });
      return key && { label: key.name, state: json(key) };
    }
    case "mailbox": {
      // The id is the sender's whose mailbox it is (none: the mailbox without a sender).
      const box = await tx.mailbox.findFirst({
        where: { senderId: object.id ?? null },
        select: { senderId: true, host: true, port: true, tls: true, username: true, authMethod: true, folder: true, secretEncrypted: true },
      });
      if (!box) return null;
      // Whether the secret changed is worth knowing; the secret itself is not.
      const { secretEncrypted, ...fields } = box;
      return { label: box.username, state: json({ ...fields, secretFingerprint: secretEncrypted.slice(-8) }) };
    }
    case "sender": {
      // No id: the choice of default sender, which "set default" changes.
      if (!object.id) {
        const fallback = await tx.sender.findFirst({ where: { isDefault: true }, select: { id: true, fromName: true, fromAddress: true } });
        return { label: "Default sender", state: json({ defaultSenderId: fallback?.id ?? null, from: fallback ? `${fallback.fromName} <${fallback.fromAddress}>` : "environment (MAIL_FROM)" }) };
      }
      const sender = await tx.sender.findUnique({ where: { id: object.id }, select: { fromName: true, fromAddress: true, replyTo: true, isDefault: true } });
      return sender && { label: `${sender.fromName} <${sender.fromAddress}>`, state: json(sender) };
    }
    case "user": {
      if (!object.id) return null;
      const user = await tx.user.findUnique({ where: { id: object.id }, select: { email: true, name: true, role: true, deactivatedAt: true } });
      return user && { label: user.email, state: json(user) };
    }
    case "template": {
      if (!object.id) return null;
      const template = await tx.stepTemplate.findUnique({ where: { id: object.id }, select: { name: true, subject: true, body: true } });
      return template && { label: template.name, state: json(template) };
    }
    case "snippet": {
      if (!object.id) return null;
      const snippet = await tx.snippet.findUnique({ where: { id: object.id }, select: { name: true, body: true } });
      return snippet && { label: snippet.name, state: json(snippet) };
    }
    case "webhook": {
      if (!object.id) return null;
      const endpoint = await tx.webhookEndpoint.findUnique({ where: { id: object.id }, select: { url: true, description: true, events: true, disabledAt: true, disabledReason: true, secret: true } });
      if (!endpoint) return null;
      // Whether the secret changed is worth knowing; the secret itself is not.
      const { secret, ...fields } = endpoint;
      return { label: endpoint.url, state: json({ ...fields, secretFingerprint: createHash("sha256").update(secret).digest("hex").slice(0, 8) }) };
    }
    case "export":
      return null;
  }
}

async function sequenceSnapshot(tx: Tx, id: string): Promise<Snapshot> {
  const sequence = await tx.sequence.findUnique({
    where: { id },
    select: {
      name: true,
      description: true,
      status: true,
      exitOnReply: true,
      reentryPolicy: true,
      schedule: true,
      timezone: true,
      dailyCap: true,
      trackingEnabled: true,
      autoReplyPauseDays: true,
      senderId: true,
      // Edits of a sequence contacts are in go to the draft until Publish.
      draft: true,
      steps: {
        where: { deletedAt: null },
        orderBy: [{ position: "asc" }, { createdAt: "asc" }],
        select: { id: true, delayAmount: true, delayUnit: true, waitUntil: true, subject: true, body: true },
      },
      triggers: { orderBy: { createdAt: "asc" }, select: { id: true, type: true, tagId: true, scoreThreshold: true, signupSource: true } },
    },
  });
  return sequence && { label: sequence.name, state: json(sequence) };
}

async function contactSnapshot(tx: Tx, id: string, sequenceId?: string): Promise<Snapshot> {
  const contact = await tx.contact.findUnique({
    where: { id },
    select: {
      email: true,
      firstName: true,
      lastName: true,
      timezone: true,
      leadScore: true,
      attributes: true,
      status: true,
      deletedAt: true,
      tags: { orderBy: { tag: { name: "asc" } }, select: { tag: { select: { name: true } } } },
      enrollments: {
        where: { status: { in: ["active", "paused"] }, ...(sequenceId ? { sequenceId } : {}) },
        orderBy: { enrolledAt: "asc" },
        select: { sequenceId: true, status: true },
      },
    },
  });
  return contact && { label: contact.email, state: json(contact) };
}

/** Dates as ISO strings, as they will read back from JSONB. */
function json(value: unknown): Prisma.InputJsonValue {
  return JSON.parse(JSON.stringify(value)) as Prisma.InputJsonValue;
}
