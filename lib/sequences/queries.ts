import "server-only";
import { requirePageUser } from "../auth/session";
import { getDb } from "../db/client";
import type { MergeContact } from "../email/render";
import { AppError } from "../errors";
import { PAGE_SIZE, pageOf, type Page, type TListParams } from "../validations/common";
import type { TSequenceSort } from "../validations/analytics";
import { sequenceListPage, type SequenceListItem } from "./sequence-list";

export { describeTrigger, type SequenceListItem } from "./sequence-list";

/** Sequences for the list page (lib/sequences/sequence-list.ts), for a signed-in viewer. */
export async function listSequences(params: TListParams, order: TSequenceSort = { sort: "updated", dir: "desc" }): Promise<Page<SequenceListItem>> {
  await requirePageUser("viewer");
  return sequenceListPage(getDb(), params, order);
}

/** One sequence with its steps, triggers and a page of enrollments. */
export async function getSequenceDetail(id: string, { page }: { page: number }) {
  await requirePageUser("viewer");
  const db = getDb();
  const sequence = await db.sequence.findUnique({
    where: { id },
    include: {
      steps: { where: { deletedAt: null }, orderBy: { position: "asc" } },
      triggers: { include: { tag: { select: { name: true } } }, orderBy: { createdAt: "asc" } },
    },
  });
  if (!sequence) throw new AppError("not_found", "Sequence not found");
  const [total, enrollments] = await Promise.all([
    db.enrollment.count({ where: { sequenceId: id } }),
    db.enrollment.findMany({
      where: { sequenceId: id },
      orderBy: [{ enrolledAt: "desc" }, { id: "asc" }],
      skip: (page - 1) * PAGE_SIZE,
      take: PAGE_SIZE,
      select: {
        id: true,
        status: true,
        currentStepIndex: true,
        enrolledAt: true,
        exitedAt: true,
        exitReason: true,
        source: true,
        nextStepDueAt: true,
        contact: { select: { id: true, email: true, firstName: true, lastName: true } },
      },
    }),
  ]);
  return { sequence, enrollments: pageOf(enrollments, total, page) };
}

/** Active sequences, for "enroll into" pickers. */
export async function listActiveSequenceOptions() {
  await requirePageUser("viewer");
  return getDb().sequence.findMany({ where: { status: "active" }, orderBy: { name: "asc" }, select: { id: true, name: true } });
}

/** Tags for the builder's trigger picker, by name. */
export async function listTagOptions(): Promise<{ id: string; name: string }[]> {
  await requirePageUser("viewer");
  return getDb().tag.findMany({ orderBy: { name: "asc" }, take: 1000, select: { id: true, name: true } });
}

const SAMPLE_CONTACT: MergeContact = {
  email: "ada@example.com",
  firstName: "Ada",
  lastName: "Lovelace",
  attributes: { company: "Analytical Engines Ltd" },
};

/** Whom the step preview is rendered for: a real named contact, or a built-in sample. */
export async function getPreviewContact(): Promise<MergeContact> {
  await requirePageUser("viewer");
  const contact = await getDb().contact.findFirst({
    where: { deletedAt: null, status: "subscribed", firstName: { not: null } },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: { email: true, firstName: true, lastName: true, attributes: true },
  });
  return contact ?? SAMPLE_CONTACT;
}
