import "server-only";
import type { Db } from "../db/prisma";
import { AppError } from "../errors";
import { describeSchedule } from "../schedule/describe";
import { holidayCalendar, holidayCountries } from "../schedule/holidays";
import { planRemainingSteps, type PlannedStep } from "../schedule/preview";
import { delayOf, scheduleOf } from "../schedule/stored";
import { resolveZone, type ZoneResolution } from "../schedule/zone";

export interface SendPlan {
  sequenceId: string;
  sequenceName: string;
  status: "active" | "paused" | "preview";
  zone: ZoneResolution;
  scheduleText: string;
  steps: PlannedStep[];
}

const sequenceSelect = {
  id: true,
  name: true,
  schedule: true,
  timezone: true,
  steps: {
    where: { deletedAt: null },
    orderBy: [{ position: "asc" as const }, { createdAt: "asc" as const }],
    select: { id: true, subject: true, delayAmount: true, delayUnit: true, waitUntil: true },
  },
};

type SequenceRow = { id: string; name: string; schedule: unknown; timezone: string; steps: (Parameters<typeof delayOf>[0] & { id: string; subject: string })[] };

function plan(sequence: SequenceRow, contactZone: string, options: { startIndex: number; from: Date; now: Date; status: SendPlan["status"] }): SendPlan {
  const schedule = scheduleOf(sequence);
  const zone = resolveZone(contactZone, sequence.timezone);
  const countryName = holidayCountries().find((c) => c.code === schedule?.holidayCountry)?.name;
  return {
    sequenceId: sequence.id,
    sequenceName: sequence.name,
    status: options.status,
    zone,
    scheduleText: describeSchedule(schedule, countryName),
    steps: planRemainingSteps({
      steps: sequence.steps.map((step) => ({ id: step.id, subject: step.subject, delay: delayOf(step) })),
      startIndex: options.startIndex,
      from: options.from,
      schedule,
      zone: zone.zone,
      holidays: holidayCalendar(schedule?.holidayCountry ?? null),
      now: options.now,
    }),
  };
}

/** The remaining steps of each live enrollment of a contact, as planned now. */
export async function contactSendPlans(db: Db, contactId: string, now: Date): Promise<SendPlan[]> {
  const contact = await db.contact.findFirst({
    where: { id: contactId, deletedAt: null },
    select: {
      timezone: true,
      enrollments: {
        where: { status: { in: ["active", "paused"] } },
        orderBy: { enrolledAt: "asc" },
        select: {
          status: true,
          currentStepIndex: true,
          enrolledAt: true,
          sequence: { select: sequenceSelect },
          sends: { where: { sentAt: { not: null } }, orderBy: { sentAt: "desc" }, take: 1, select: { sentAt: true } },
        },
      },
    },
  });
  if (!contact) throw new AppError("not_found", "Contact not found.");
  return contact.enrollments.map((enrollment) =>
    plan(enrollment.sequence, contact.timezone, {
      startIndex: enrollment.currentStepIndex,
      from: enrollment.sends[0]?.sentAt ?? enrollment.enrolledAt,
      now,
      status: enrollment.status as "active" | "paused",
    }),
  );
}

/** Every step of a sequence as it would go to this contact if enrolled now: the builder's "preview as contact". */
export async function previewSequenceForContact(db: Db, sequenceId: string, contactId: string, now: Date): Promise<SendPlan> {
  const [sequence, contact] = await Promise.all([
    db.sequence.findUnique({ where: { id: sequenceId }, select: sequenceSelect }),
    db.contact.findFirst({ where: { id: contactId, deletedAt: null }, select: { timezone: true } }),
  ]);
  if (!sequence) throw new AppError("not_found", "Sequence not found.");
  if (!contact) throw new AppError("not_found", "Contact not found.");
  return plan(sequence, contact.timezone, { startIndex: 0, from: now, now, status: "preview" });
}

