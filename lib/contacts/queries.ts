import "server-only";
import { requireUser } from "../auth/session";
import { getDb } from "../db/client";
import type { Prisma } from "../db/prisma";
import { PAGE_SIZE, pageOf, type TListParams } from "../validations/common";

/** Contacts for the list page: search by email or name, newest first. */
export async function listContacts({ q, page }: TListParams) {
  await requireUser("viewer");
  const db = getDb();
  const where: Prisma.ContactWhereInput = { deletedAt: null };
  if (q) {
    where.OR = [
      { email: { contains: q.toLowerCase() } },
      { firstName: { contains: q, mode: "insensitive" } },
      { lastName: { contains: q, mode: "insensitive" } },
    ];
  }
  const [total, items] = await Promise.all([
    db.contact.count({ where }),
    db.contact.findMany({
      where,
      orderBy: [{ createdAt: "desc" }, { id: "asc" }],
      skip: (page - 1) * PAGE_SIZE,
      take: PAGE_SIZE,
      select: {
        id: true,
        email: true,
        firstName: true,
        lastName: true,
        leadScore: true,
        status: true,
        tags: { select: { tag: { select: { name: true } } } },
        _count: { select: { enrollments: { where: { status: { in: ["active", "paused"] } } } } },
      },
    }),
  ]);
  return pageOf(items, total, page);
}
