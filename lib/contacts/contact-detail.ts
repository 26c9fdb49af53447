import type { Db } from "../db/prisma";
import { AppError } from "../errors";
import type { TTriggerType } from "../sequences/triggers";
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

type TimelineRow = {
  total: number;
  /** [id, type, reason, data, createdAt (epoch ms), stepId, sequenceId, sequenceName] */
  events: [string, string, string | null, unknown, number, string | null, string, string][];
  /** [stepId, subject] */
  steps: [string, string][];
  /** Live steps in send order, per sequence: [stepId, sequenceId] */
  liveSteps: [string, string][];
  /** [triggerId, type, scoreThreshold, signupSource, tagName] */
  triggers: [string, TTriggerType, number | null, string | null, string | null][];
};

/**
 * The contact's enrollment event log, newest first, one page at a time, each
 * event told as a sentence with its sequence and step. One statement (the
 * contact page is the most visited): the page of events, their count, and
 * the steps, step numbers and triggers they name.
 */
export async function contactTimeline(db: Db, contactId: string, { page = 1, pageSize = TIMELINE_PAGE_SIZE } = {}): Promise<TimelinePage> {
  const [row] = await db.$queryRaw<{ timeline: string }[]>`
    WITH ev AS (
      SELECT ev."id", ev."type"::text AS "type", ev."reason", ev."data", ev."createdAt", ev."stepId", ev."sequenceId"
      FROM "EnrollmentEvent" ev WHERE ev."contactId" = ${contactId}
      ORDER BY ev."createdAt" DESC, ev."id" DESC
      OFFSET ${(page - 1) * pageSize} LIMIT ${pageSize}
    )
    SELECT json_build_object(
      'total', (SELECT count(*) FROM "EnrollmentEvent" WHERE "contactId" = ${contactId}),
      'events', (SELECT coalesce(json_agg(json_build_array(ev."id"::text, ev."type", ev."reason", ev."data", (extract(epoch FROM ev."createdAt") * 1000)::float8,
                                                          ev."stepId", ev."sequenceId", s."name") ORDER BY ev."createdAt" DESC, ev."id" DESC), '[]')
                 FROM ev JOIN "Sequence" s ON s."id" = ev."sequenceId"),
      'steps', (SELECT coalesce(json_agg(json_build_array(st."id", st."subject")), '[]') FROM "SequenceStep" st WHERE st."id" IN (SELECT "stepId" FROM ev)),
      'liveSteps', (SELECT coalesce(json_agg(json_build_array(st."id", st."sequenceId") ORDER BY st."sequenceId", st."position", st."createdAt"), '[]')
                    FROM "SequenceStep" st
                    WHERE st."sequenceId" IN (SELECT "sequenceId" FROM ev WHERE "stepId" IS NOT NULL) AND st."deletedAt" IS NULL),
      'triggers', (SELECT coalesce(json_agg(json_build_array(t."id", t."type", t."scoreThreshold", t."signupSource", tg."name")), '[]')
                   FROM "SequenceTrigger" t LEFT JOIN "Tag" tg ON tg."id" = t."tagId"
                   WHERE t."id" IN (SELECT ev."data"->>'triggerId' FROM ev WHERE ev."type" = 'enrolled' AND jsonb_typeof(ev."data"->'triggerId') = 'string'))
    )::text AS "timeline"`;
  const { total, events, steps, liveSteps, triggers } = JSON.parse(row.timeline) as TimelineRow;

  // Step numbers as the builder shows them: live steps in send order.
  const stepNumber = new Map<string, number>();
  let previousSequence: string | null = null;
  let number = 0;
  for (const [stepId, sequenceId] of liveSteps) {
    number = sequenceId === previousSequence ? number + 1 : 1;
    previousSequence = sequenceId;
    stepNumber.set(stepId, number);
  }
  const subjectOf = new Map(steps);
  const triggerById = new Map(
    triggers.map(([id, type, scoreThreshold, signupSource, tagName]) => [id, { type, scoreThreshold, signupSource, tag: tagName === null ? null : { name: tagName } }]),
  );

  const items = events.map(([id, type, reason, data, at, stepId, sequenceId, sequenceName]) => {
    const subject = stepId ? subjectOf.get(stepId) : undefined;
    const triggerId = type === "enrolled" ? triggerIdOf(data) : null;
    const trigger = triggerId ? triggerById.get(triggerId) : undefined;
    const described = describeTimelineEvent({
      type,
      reason,
      data,
      sequenceName,
      step: stepId && subject !== undefined ? { number: stepNumber.get(stepId) ?? null, subject } : null,
      trigger: trigger ? { type: trigger.type, summary: summarizeTrigger(trigger) } : null,
    });
    return { id, at: new Date(at), type, sequenceId, sequenceName, ...described };
  });
  return { items, total, page, pageCount: Math.max(1, Math.ceil(total / pageSize)) };
}

function triggerIdOf(data: unknown): string | null {
  if (!data || typeof data !== "object" || Array.isArray(data)) return null;
  const id = (data as Record<string, unknown>).triggerId;
  return typeof id === "string" ? id : null;
}
