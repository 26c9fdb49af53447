/**
 * The mailbox reader records a batch in one commit: its bounces, its
 * replies and out-of-office holds, and (inSameCommit) the reader's cursor.
 * A failure anywhere in it leaves no part of the batch recorded and
 * announces nothing, so reading the batch again records it exactly once.
 */
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { setTransport } from "../../lib/email/transports";
import { handleMessages, type Handled } from "../../lib/mailbox/handle-message";
import { parseMessage } from "../../lib/mailbox/parse-message";
import { resetDb, testDb } from "../support/db";
import { recordEvents } from "../support/events";
import { recordingTransport } from "../support/fault-transport";
import { deliveryReport, replyMessage } from "../support/mail-messages";
import { sentFirstStep } from "../support/plan";

process.env.STEPWISE_SIGNING_SECRET ??= "mailbox-batch-commit-secret-0123456";

const db = testDb();
const events = recordEvents();
beforeEach(async () => {
  await resetDb();
  events.sent.length = 0;
  setTransport(recordingTransport());
});
afterAll(() => {
  setTransport(null);
  events.restore();
});

/** A contact in an exit-on-reply sequence that holds out-of-office replies 3 days, step 1 sent. */
const sentStep1 = () => sentFirstStep(db, { exitOnReply: true, autoReplyPauseDays: 3 });

async function state(ids: { replied: string; bounced: string; away: string }) {
  const enrollments = await db.enrollment.findMany({ where: { id: { in: Object.values(ids) } }, select: { id: true, status: true, heldUntil: true } });
  const byId = new Map(enrollments.map((e) => [e.id, e]));
  return {
    replies: await db.inboundReply.count(),
    bouncedContacts: await db.contact.count({ where: { status: "bounced" } }),
    replied: byId.get(ids.replied)!.status,
    bounced: byId.get(ids.bounced)!.status,
    held: byId.get(ids.away)!.heldUntil !== null,
    exitEvents: await db.enrollmentEvent.count({ where: { type: "exited" } }),
  };
}

describe("a batch read from the mailbox", () => {
  it("is recorded in one commit: a failure before it ends records and announces nothing, and the batch read again is recorded once", async () => {
    const replied = await sentStep1();
    const bounced = await sentStep1();
    const away = await sentStep1();
    const batch = () => [
      parseMessage(Buffer.from(replyMessage({ from: replied.contact.email, inReplyTo: `<${replied.messageId}>` }))),
      parseMessage(Buffer.from(deliveryReport({ recipient: bounced.contact.email, returnedMessageId: `<${bounced.messageId}>`, status: "5.1.1", action: "failed" }))),
      parseMessage(Buffer.from(replyMessage({ from: away.contact.email, inReplyTo: `<${away.messageId}>`, subject: "Automatic reply: Step 1", extraHeaders: ["Auto-Submitted: auto-replied"] }))),
    ];
    const ids = { replied: replied.enrollmentId, bounced: bounced.enrollmentId, away: away.enrollmentId };
    const before = await state(ids);
    const published = events.sent.length;

    // The reader's cursor update fails (the connection drops, the process dies): the commit never happens.
    let seen: Handled[] = [];
    const failing = handleMessages(db, batch(), {
      inSameCommit: async (_tx, handled) => {
        seen = handled;
        throw new Error("the cursor could not be moved");
      },
    });
    await expect(failing).rejects.toThrow("the cursor could not be moved");
    expect(seen.map((h) => h.kind)).toEqual(["reply", "bounce", "auto_reply"]);
    expect(await state(ids)).toEqual(before);
    expect(events.sent.length).toBe(published);

    // Read again: each recorded once, and the cancel events sent after the commit.
    const handled = await handleMessages(db, batch(), { inSameCommit: async (_tx, h) => void (seen = h) });
    expect(handled).toEqual([{ kind: "reply", exited: 1 }, { kind: "bounce", bounced: 1 }, { kind: "auto_reply" }]);
    expect(seen).toEqual(handled);
    expect(await state(ids)).toEqual({ ...before, replies: 2, bouncedContacts: 1, replied: "replied", bounced: "bounced", held: true, exitEvents: 2 });
    expect(events.sent.slice(published)).toEqual([
      { name: "contact.removed", data: { contactId: bounced.contact.id, sequenceId: null } },
      { name: "contact.replied", data: { contactId: replied.contact.id, sequenceId: expect.any(String) } },
    ]);
  });
});
