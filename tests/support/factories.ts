import { randomUUID } from "node:crypto";
import type { Db } from "../../lib/db/prisma";
import type { Prisma } from "../../lib/generated/prisma/client";

export async function makeContact(db: Db, data: Partial<Prisma.ContactUncheckedCreateInput> = {}) {
  return db.contact.create({
    data: { email: `c-${randomUUID().slice(0, 8)}@example.com`, firstName: "Test", ...data },
  });
}

type StepInput = { subject?: string; body?: string; delayAmount?: number; delayUnit?: "minutes" | "hours" | "days" | "business_days" };

export async function makeSequence(
  db: Db,
  data: Partial<Prisma.SequenceUncheckedCreateInput> & { steps?: StepInput[] } = {},
) {
  const { steps = [{ delayAmount: 0 }] as StepInput[], ...rest } = data;
  return db.sequence.create({
    data: {
      name: `Sequence ${randomUUID().slice(0, 6)}`,
      status: "active",
      ...rest,
      steps: {
        create: steps.map((s, position) => ({
          position,
          delayAmount: s.delayAmount ?? 1,
          delayUnit: s.delayUnit ?? "days",
          subject: s.subject ?? `Step ${position + 1}`,
          body: s.body ?? `Body of step ${position + 1}`,
        })),
      },
    },
    include: { steps: { orderBy: { position: "asc" } } },
  });
}
