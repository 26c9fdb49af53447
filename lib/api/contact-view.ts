import type { Db } from "../db/prisma";
import { isId } from "../validations/ids";

/** The contact as the JSON API shows it: explicit fields, never the row. */
export async function contactView(db: Db, contactId: string) {
  if (!isId(contactId)) return null;
  const contact = await db.contact.findFirst({
    where: { id: contactId, deletedAt: null },
    select: {
      id: true,
      email: true,
      firstName: true,
      lastName: true,
      leadScore: true,
      status: true,
      timezone: true,
      attributes: true,
      createdAt: true,
      updatedAt: true,
      tags: { select: { tag: { select: { name: true } } } },
      enrollments: {
        where: { status: { in: ["active", "paused"] } },
        orderBy: { enrolledAt: "asc" },
        select: { id: true, sequenceId: true, status: true, enrolledAt: true },
      },
    },
  });
  if (!contact) return null;
  const { tags, enrollments, ...fields } = contact;
  return {
    ...fields,
    tags: tags.map((t) => t.tag.name).sort((a, b) => a.localeCompare(b)),
    activeEnrollments: enrollments,
  };
}
