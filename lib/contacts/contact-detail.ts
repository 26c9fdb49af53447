import type { Db } from "../db/prisma";
import { AppError } from "../errors";
import { describeTimelineEvent, summarizeTrigger, type TimelineTone } from "./timeline";

export const TIMELINE_PAGE_SIZE = 25;

export type TimelineItem = {
  id: string;
  at: Date;
  type: string;
  sequenceId: string;
  sequenceName: string;
  sentence: string;
  detail: string | null;
  tone: TimelineTone;
};

export type TimelinePage = { items: TimelineItem[]; total: number; page: number; pageCount: number };

/** A contact's profile, tags, consent history and enrollments (deleted contacts are not found). */
export async function contactProfile(db: Db, contactId: string) {
  const contact = await db.contact.findFirst({
    where: { id: contactId, deletedAt: null },
    select: {
      id: true,
      email: true,
      firstName: true,
      lastName: true,
      leadScore: true,
      status: true,
      unsubscribedAt: true,
      bouncedAt: true,
      timezone: true,
      attributes: true,
      createdAt: true,
      tags: { select: { tag: { select: { id: true, name: true } } }, orderBy: { tag: { name: "asc" } } },
    },
  });
  if (!contact) throw new AppError("not_found", "Contact not found");

  const [consents, enrollments] = await Promise.all([
    db.consentEvent.findMany({
      where: { contactId },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: 100,
      select: { id: true, type: true, source: true, ip: true, detail: true, createdAt: true },
    }),
    db.enrollment.findMany({
      where: { contactId },
      orderBy: [{ enrolledAt: "desc" }, { id: "asc" }],
      take: 200,
      select: {
        id: true,
        status: true,
        exitReason: true,
        source: true,
        enrolledAt: true,
        exitedAt: true,
        currentStepIndex: true,
        nextStepDueAt: true,
        sequence: { select: { id: true, name: true, status: true, exitOnReply: true } },
      },
    }),
  ]);

  const attributes = contact.attributes && typeof contact.attributes === "object" && !Array.isArray(contact.attributes)
    ? (contact.attributes as Record<string, unknown>)
    : {};
  return {
    contact: { ...contact, attributes, tags: contact.tags.map((t) => t.tag) },
    consents: consents.map((c) => ({ ...c, id: c.id.toString() })),
    enrollments,
  };
}

/**
 * The contact's enrollment event log, newest first, one page at a time, each
 * event told as a sentence with its sequence and step.
 */
export async function contactTimeline(db: Db, contactId: string, { page = 1, pageSize = TIMELINE_PAGE_SIZE } = {}): Promise<TimelinePage> {
  const [total, events] = await Promise.all([
    db.enrollmentEvent.count({ where: { contactId } }),
    db.enrollmentEvent.findMany({
      where: { contactId },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      skip: (page - 1) * pageSize,
      take: pageSize,
      select: { id: true, type: true, reason: true, data: true, createdAt: true, stepId: true, sequenceId: true, sequence: { select: { name: true } } },
    }),
  ]);

  const sequenceIds = [...new Set(events.filter((e) => e.stepId).map((e) => e.sequenceId))];
  const stepIds = [...new Set(events.flatMap((e) => (e.stepId ? [e.stepId] : [])))];
  const triggerIds = [...new Set(events.flatMap((e) => (e.type === "enrolled" ? [triggerIdOf(e.data)] : [])).filter((id): id is string => !!id))];

  const [steps, liveSteps, triggers] = await Promise.all([
    stepIds.length ? db.sequenceStep.findMany({ where: { id: { in: stepIds } }, select: { id: true, subject: true } }) : [],
    // Step numbers as the builder shows them: live steps in send order.
    sequenceIds.length
      ? db.sequenceStep.findMany({ where: { sequenceId: { in: sequenceIds }, deletedAt: null }, orderBy: [{ position: "asc" }, { createdAt: "asc" }], select: { id: true, sequenceId: true } })
      : [],
    triggerIds.length
      ? db.sequenceTrigger.findMany({ where: { id: { in: triggerIds } }, select: { id: true, type: true, scoreThreshold: true, signupSource: true, tag: { select: { name: true } } } })
      : [],
  ]);

  const stepNumber = new Map<string, number>();
  for (const sequenceId of sequenceIds) {
    liveSteps.filter((s) => s.sequenceId === sequenceId).forEach((s, index) => stepNumber.set(s.id, index + 1));
  }

  const items = events.map((e) => {
    const step = e.stepId ? steps.find((s) => s.id === e.stepId) : undefined;
    const trigger = e.type === "enrolled" ? triggers.find((t) => t.id === triggerIdOf(e.data)) : undefined;
    const described = describeTimelineEvent({
      type: e.type,
      reason: e.reason,
      data: e.data,
      sequenceName: e.sequence.name,
      step: step ? { number: stepNumber.get(step.id) ?? null, subject: step.subject } : null,
      trigger: trigger ? { type: trigger.type, summary: summarizeTrigger(trigger) } : null,
    });
    return { id: e.id.toString(), at: e.createdAt, type: e.type, sequenceId: e.sequenceId, sequenceName: e.sequence.name, ...described };
  });
  return { items, total, page, pageCount: Math.max(1, Math.ceil(total / pageSize)) };
}

function triggerIdOf(data: unknown): string | null {
  if (!data || typeof data !== "object" || Array.isArray(data)) return null;
  const id = (data as Record<string, unknown>).triggerId;
  return typeof id === "string" ? id : null;
}
