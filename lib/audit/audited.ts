import "server-only";
/**
 * Audit rows written in the transaction of the change they describe. Two
 * ways in, so that each action needs one line and no domain function learns
 * about auditing:
 * - `audited(db, actor, action, object)` gives back the client with its
 *   next interactive transaction extended: the object is read at its start
 *   and end, and the row is inserted before it commits. For domain
 *   functions that own their transaction (lock, check, change).
 * - `inAuditedTransaction(...)` runs a function that writes without a
 *   transaction of its own inside one, with the row.
 * Nothing changed (equal before and after, e.g. a refusal) writes no row.
 */
import { isDeepStrictEqual } from "node:util";
import type { Db, Tx } from "../db/prisma";
import type { AuditAction } from "./actions";
import { recordAudit, type AuditActor } from "./record";
import { snapshotOf, type AuditObject, type Snapshot } from "./snapshots";

type ObjectOf<R> = AuditObject | ((result: R) => AuditObject);

async function writeIfChanged(tx: Tx, actor: AuditActor, action: AuditAction, object: AuditObject, before: Snapshot, detail?: string): Promise<boolean> {
  const after = await snapshotOf(tx, object);
  if (isDeepStrictEqual(before, after)) return false;
  await recordAudit(tx, actor, {
    action,
    objectType: object.type,
    objectId: object.id ?? null,
    objectLabel: after?.label ?? before?.label ?? null,
    before: before?.state ?? null,
    after: after?.state ?? null,
    detail,
  });
  return true;
}

/**
 * `db` whose next interactive transaction that changes `object` also writes
 * the audit row. An object given as a function of the transaction's result
 * (a copy's new id) did not exist before it.
 */
export function audited(db: Db, actor: AuditActor, action: AuditAction, object: ObjectOf<unknown>): Db {
  let recorded = false;
  const transaction = (arg: unknown, options?: unknown) => {
    if (recorded || typeof arg !== "function") return (db.$transaction as (a: unknown, o?: unknown) => Promise<unknown>)(arg, options);
    const run = arg as (tx: Tx) => Promise<unknown>;
    return db.$transaction(async (tx) => {
      const before = typeof object === "function" ? null : await snapshotOf(tx, object);
      const result = await run(tx);
      const changed = typeof object === "function" ? object(result) : object;
      // A domain function's earlier, read-only transaction leaves the row to the one that changes something.
      if (await writeIfChanged(tx, actor, action, changed, before)) recorded = true;
      return result;
    }, options as Parameters<Db["$transaction"]>[1]);
  };
  return new Proxy(db, {
    get(target, prop) {
      if (prop === "$transaction") return transaction;
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** Runs `change` (which must not start transactions) and the audit row in one transaction. */
export async function inAuditedTransaction<R>(
  db: Db,
  actor: AuditActor,
  action: AuditAction,
  object: ObjectOf<R>,
  change: (tx: Db) => Promise<R>,
): Promise<R> {
  return db.$transaction(async (tx) => {
    const known = typeof object === "function" ? null : object;
    const before = known ? await snapshotOf(tx, known) : null;
    const result = await change(tx as Db);
    await writeIfChanged(tx, actor, action, known ?? (object as (r: R) => AuditObject)(result), before);
    return result;
  });
}

/** One audit row for something that changes no data, such as an export. */
export async function recordAccess(db: Db, actor: AuditActor, action: AuditAction, detail: string): Promise<void> {
  await recordAudit(db, actor, { action, objectType: "export", detail });
}

/**
 * For a change made by one statement outside any interactive transaction
 * (manual enroll: lib/sequences/enroll-contact.ts explains why): reads the
 * object now; `done()` writes the row right after the change, if it changed.
 */
export async function beginAudit(db: Db, actor: AuditActor, action: AuditAction, object: AuditObject): Promise<{ done: () => Promise<void> }> {
  const before = await snapshotOf(db, object);
  return { done: () => db.$transaction(async (tx) => void (await writeIfChanged(tx, actor, action, object, before))) };
}

/** For an object created by a change that owns its transactions: the row (no before) right after it. */
export async function recordCreated(db: Db, actor: AuditActor, action: AuditAction, object: AuditObject): Promise<void> {
  await db.$transaction(async (tx) => void (await writeIfChanged(tx, actor, action, object, null)));
}

/**
 * One row for a bulk change of many contacts (tagging, bulk enroll), written
 * right after it: those run as several transactions of their own (and fire
 * triggers), so there is no one transaction to join. `after` says what was
 * done to which contacts; nothing done writes nothing.
 */
export async function recordBulk(db: Db, actor: AuditActor, action: AuditAction, change: { changed: number; detail: string; after: Record<string, unknown> }): Promise<void> {
  if (change.changed === 0) return;
  await recordAudit(db, actor, { action, objectType: "contact", after: JSON.parse(JSON.stringify(change.after)), detail: change.detail });
}

/**
 * One row per imported chunk, written after it: an import writes its rows
 * in several transactions (contacts, then tags and triggered enrollments:
 * lib/contacts/import.ts), so there is no one transaction to join. The
 * counts say what the chunk did.
 */
export async function recordImport(db: Db, actor: AuditActor, result: { imported: number; updated: number; failed: unknown[] }): Promise<void> {
  if (result.imported + result.updated === 0) return;
  const detail = `${result.imported} created, ${result.updated} updated, ${result.failed.length} failed`;
  await recordAudit(db, actor, { action: "contact.import", objectType: "contact", after: { imported: result.imported, updated: result.updated, failed: result.failed.length }, detail });
}
