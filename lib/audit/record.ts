import "server-only";
import type { Db, Tx } from "../db/prisma";
import type { Prisma } from "../generated/prisma/client";
import type { AuditAction, AuditObjectType } from "./actions";

/** Who acted, and from where. API-key actions name the key. */
export type AuditActor = {
  type: "user" | "api_key" | "system";
  id: string;
  /** The user's email or the key's name, kept as it was at the time. */
  label: string;
  ip?: string | null;
  userAgent?: string | null;
};

export type AuditEntry = {
  action: AuditAction;
  objectType: AuditObjectType;
  objectId?: string | null;
  objectLabel?: string | null;
  before?: Prisma.InputJsonValue | null;
  after?: Prisma.InputJsonValue | null;
  detail?: string | null;
};

/**
 * Appends one row to the audit log. Call it with the transaction client of
 * the change it describes, so that the change and its record commit or
 * roll back together.
 */
export async function recordAudit(tx: Tx | Db, actor: AuditActor, entry: AuditEntry): Promise<void> {
  await tx.auditEvent.create({
    data: {
      actorType: actor.type,
      actorId: actor.id,
      actorLabel: actor.label.slice(0, 320),
      action: entry.action,
      objectType: entry.objectType,
      objectId: entry.objectId ?? null,
      objectLabel: entry.objectLabel?.slice(0, 320) ?? null,
      before: entry.before ?? undefined,
      after: entry.after ?? undefined,
      detail: entry.detail?.slice(0, 2000) ?? null,
      ip: actor.ip ?? null,
      userAgent: actor.userAgent?.slice(0, 500) ?? null,
    },
  });
}
