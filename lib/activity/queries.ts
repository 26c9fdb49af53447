import "server-only";
import { requirePageUser } from "../auth/session";
import { getDb } from "../db/client";
import { PAGE_SIZE, pageOf } from "../validations/common";

/** The enrollment event log, newest first: the audit trail of every sequence. */
export async function listActivity({ page }: { page: number }) {
  await requirePageUser("viewer");
  const db = getDb();
  const [total, items] = await Promise.all([
    db.enrollmentEvent.count(),
    db.enrollmentEvent.findMany({
      orderBy: { id: "desc" },
      skip: (page - 1) * PAGE_SIZE,
      take: PAGE_SIZE,
      select: {
        id: true,
        type: true,
        reason: true,
        createdAt: true,
        contact: { select: { id: true, email: true } },
        sequence: { select: { id: true, name: true } },
      },
    }),
  ]);
  return pageOf(items.map((e) => ({ ...e, id: e.id.toString() })), total, page);
}
