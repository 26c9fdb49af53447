import "server-only";
import { requirePageUser } from "../auth/session";
import { getDb } from "../db/client";
import type { Prisma } from "../db/prisma";
import { AppError } from "../errors";
import { inertMessage } from "./inert-links";
import { PAGE_SIZE, pageOf, type TListParams } from "../validations/common";

/** Messages held by the local mail catcher, newest first; search by recipient or subject. */
export async function listCaughtMessages({ q, page }: TListParams) {
  await requirePageUser("viewer");
  const db = getDb();
  const where: Prisma.CaughtMessageWhereInput = q
    ? { OR: [{ toAddress: { contains: q.toLowerCase() } }, { subject: { contains: q, mode: "insensitive" } }] }
    : {};
  const [total, items] = await Promise.all([
    db.caughtMessage.count({ where }),
    db.caughtMessage.findMany({
      where,
      orderBy: [{ createdAt: "desc" }, { id: "asc" }],
      skip: (page - 1) * PAGE_SIZE,
      take: PAGE_SIZE,
      select: { id: true, toAddress: true, subject: true, createdAt: true },
    }),
  ]);
  return pageOf(items, total, page);
}

export async function getCaughtMessage(id: string) {
  await requirePageUser("viewer");
  const message = await getDb().caughtMessage.findUnique({
    where: { id },
    select: { id: true, messageId: true, fromAddress: true, toAddress: true, subject: true, html: true, text: true, headers: true, createdAt: true, contactId: true },
  });
  if (!message) throw new AppError("not_found", "Message not found");
  // The live unsubscribe tokens never leave the server through an admin view.
  return inertMessage(message);
}
