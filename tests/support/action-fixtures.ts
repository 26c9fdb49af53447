/**
 * The fixtures every action in the catalog (action-catalog.ts) is called
 * against: a small workspace made fresh for each call.
 */
import { randomUUID } from "node:crypto";
import { createApiKey } from "../../lib/api-keys/manage";
import type { Db } from "../../lib/db/prisma";
import { createUnsubscribeToken } from "../../lib/email/unsubscribe-token";
import { createConfirmationToken } from "../../lib/contacts/signup-confirmation";
import { enrollContact } from "../../lib/sequences/enroll-contact";
import { updateStep } from "../../lib/sequences/step-mutations";
import { getDraftPreview } from "../../lib/sequences/versions/publish-draft";
import { createClickToken, createOpenToken } from "../../lib/tracking/token";
import { signUserToken } from "../../lib/team/tokens";
import { makeContact, makeSequence } from "./factories";

export type Fixtures = Awaited<ReturnType<typeof makeActionFixtures>>;

/** A small workspace on which every action in the catalog has a valid call. */
export async function makeActionFixtures(db: Db) {
  const suffix = randomUUID().slice(0, 8);
  // Rows that need nothing else are made concurrently, then what builds on them: a fixture set is
  // made for every allowed call of the matrix, and one after another its round trips were most of it.
  const [tag, contact, other, unsubscribed, active, draft, paused, enrolled, live, apiKey, stepTemplate, snippet, member, sender, inactive, webhook] = await Promise.all([
    db.tag.create({ data: { name: `vip-${suffix}` } }),
    makeContact(db, { email: `ada-${suffix}@example.com` }),
    makeContact(db, { email: `grace-${suffix}@example.com` }),
    makeContact(db, { email: `gone-${suffix}@example.com`, status: "unsubscribed", unsubscribedAt: new Date() }),
    makeSequence(db, { name: `Active ${suffix}`, steps: [{ delayAmount: 0, delayUnit: "minutes" }, { delayAmount: 1 }] }),
    makeSequence(db, { name: `Draft ${suffix}`, status: "draft", steps: [{ delayAmount: 0, delayUnit: "minutes" }, { delayAmount: 1 }] }),
    makeSequence(db, { name: `Paused ${suffix}`, status: "paused" }),
    makeContact(db, { email: `enrolled-${suffix}@example.com` }),
    makeSequence(db, { name: `Live ${suffix}`, steps: [{ delayAmount: 0, delayUnit: "minutes" }, { delayAmount: 1 }] }),
    createApiKey(db, { name: `Key ${suffix}` }),
    db.stepTemplate.create({ data: { name: `Welcome ${suffix}`, subject: "Welcome", body: "Hello {{firstName|there}}" } }),
    db.snippet.create({ data: { name: `Signature ${suffix}`, body: "Ada, Acme" } }),
    db.user.create({ data: { email: `member-${suffix}@example.com`, name: "Member", role: "marketer", passwordHash: "x" } }),
    db.sender.create({ data: { fromName: `Sales ${suffix}`, fromAddress: `sales-${suffix}@example.com` } }),
    db.user.create({ data: { email: `inactive-${suffix}@example.com`, name: "Inactive", role: "viewer", passwordHash: "x", deactivatedAt: new Date() } }),
    webhookWithFailedDelivery(db, suffix),
  ]);
  const [{ tagged, draftTrigger }, tracked, previewToken] = await Promise.all([
    (async () => {
      const tagged = await makeContact(db, { email: `tagged-${suffix}@example.com`, tags: { create: { tagId: tag.id } } });
      return { tagged, draftTrigger: await db.sequenceTrigger.create({ data: { sequenceId: draft.id, type: "tag_added", tagId: tag.id } }) };
    })(),
    // One after the other: both write the active sequence's counters.
    (async () => {
      const enrollment = await enrollContact(db, { contactId: enrolled.id, sequenceId: active.id, source: "manual" });
      if (enrollment.outcome !== "enrolled") throw new Error(`fixture enrollment: ${enrollment.outcome}`);
      return sentMessageWithLink(db, active.steps[0].id);
    })(),
    // A sequence someone is in, with an unpublished edit (a draft) and its preview's token.
    (async () => {
      const liveEnrollment = await enrollContact(db, { contactId: other.id, sequenceId: live.id, source: "manual" });
      if (liveEnrollment.outcome !== "enrolled") throw new Error(`fixture enrollment: ${liveEnrollment.outcome}`);
      await updateStep(db, { sequenceId: live.id, stepId: live.steps[1].id, subject: "Edited in a draft", body: "Draft body", delayAmount: 2, delayUnit: "days" });
      return (await getDraftPreview(db, { sequenceId: live.id, backfill: false })).token;
    })(),
  ]);
  /** A fresh invitation (or reset link) per call, and its signed token. */
  const userToken = async (kind: "invite" | "password_reset") => {
    const email = `${kind === "invite" ? "invitee" : "resetter"}-${randomUUID().slice(0, 8)}@example.com`;
    const userId = kind === "password_reset" ? (await db.user.create({ data: { email, name: "Resetter", role: "viewer", passwordHash: "x" } })).id : null;
    const row = await db.userToken.create({ data: { kind, email, role: kind === "invite" ? "marketer" : null, userId, expiresAt: new Date(Date.now() + 3_600_000) } });
    return { email, token: signUserToken(kind, row.id, row.expiresAt) };
  };
  /** A fresh pending signup (double opt-in) per call, and its confirmation token. */
  const confirmToken = async () => {
    const pending = await db.pendingSignup.create({ data: { email: `pending-${randomUUID().slice(0, 8)}@example.com`, firstName: "Pat", expiresAt: new Date(Date.now() + 3_600_000) } });
    return { email: pending.email, token: createConfirmationToken(pending.id, pending.expiresAt) };
  };
  return {
    confirmToken,
    userToken,
    member: { id: member.id },
    inactive: { id: inactive.id },
    /** A sender no sequence uses and not the default. */
    sender: { id: sender.id },
    suffix,
    tag,
    contact,
    other,
    tagged,
    unsubscribed,
    enrolled,
    active: { id: active.id, stepIds: active.steps.map((s) => s.id) },
    draft: { id: draft.id, stepIds: draft.steps.map((s) => s.id), triggerId: draftTrigger.id },
    paused: { id: paused.id },
    live: { id: live.id, previewToken },
    apiKey: { id: apiKey.apiKey.id, key: apiKey.key },
    stepTemplate: { id: stepTemplate.id },
    snippet: { id: snippet.id },
    webhook,
    token: () => createUnsubscribeToken({ contactId: contact.id }),
    /** Tokens of a sent message's tracked link 0 and open pixel (app/r, app/o). */
    clickToken: createClickToken({ sendId: tracked.sendId, index: 0 }),
    openToken: createOpenToken(tracked.sendId),
  };
}

/**
 * A webhook endpoint (on a documentation address: no DNS, never reached) with one failed delivery to replay.
 * It subscribes to step.failed, which no fixture or action emits: subscribed to contact.enrolled, every
 * endpoint got a delivery of every later fixture's enrollments, and the rows (which dataFingerprint reads
 * before and after each call) grew with the square of the fixture sets made (10,000 after 100).
 */
async function webhookWithFailedDelivery(db: Db, suffix: string) {
  const endpoint = await db.webhookEndpoint.create({ data: { url: `https://203.0.113.10/hooks/${suffix}`, events: ["step.failed"], secret: "whsec_dGVzdC1zZWNyZXQtMDEyMzQ1Njc4OWFiY2RlZg==" } });
  const event = await db.webhookEvent.create({ data: { id: `msg_${randomUUID().replace(/-/g, "")}`, type: "contact.enrolled", payload: { type: "contact.enrolled", data: {} } } });
  const delivery = await db.webhookDelivery.create({ data: { eventId: event.id, endpointId: endpoint.id, status: "failed", attempts: 8 } });
  return { id: endpoint.id, deliveryId: delivery.id };
}

/** A contact who completed `stepId`'s sequence and was sent it, with one stored link. */
async function sentMessageWithLink(db: Db, stepId: string) {
  const step = await db.sequenceStep.findUniqueOrThrow({ where: { id: stepId }, select: { sequenceId: true } });
  const reader = await makeContact(db, { email: `reader-${randomUUID().slice(0, 8)}@example.com` });
  const enrollment = await db.enrollment.create({ data: { contactId: reader.id, sequenceId: step.sequenceId, status: "completed", exitReason: "completed", exitedAt: new Date(Date.now() - 3_600_000), source: "manual" } });
  const send = await db.stepSend.create({ data: { enrollmentId: enrollment.id, stepId, status: "sent", sentAt: new Date(Date.now() - 3_600_000), links: { create: { index: 0, url: "https://example.com/welcome" } } } });
  return { sendId: send.id };
}
