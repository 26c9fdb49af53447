/**
 * The SMTP transport against a real SMTP server on loopback: what each
 * server answer (or silence, or a cut connection) means for the send path,
 * and that the send path's guarantee holds over real SMTP: one message per
 * (enrollment, step), and a message whose outcome is unknown is never re-sent.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { setTransport, TransientDeliveryError } from "../../lib/email/transports";
import { SmtpTransport } from "../../lib/email/transports/smtp";
import type { OutgoingMessage } from "../../lib/email/transports/types";
import { enrollContact } from "../../lib/sequences/enroll-contact";
import { sendStep } from "../../lib/sequences/run-step";
import { resetDb, testDb } from "../support/db";
import { recordEvents } from "../support/events";
import { makeContact, makeSequence } from "../support/factories";
import { plannedSend } from "../support/plan";
import { startSmtpServer, type LoopbackSmtp } from "../support/smtp-server";

process.env.STEPWISE_SIGNING_SECRET ??= "smtp-transport-signing-secret-0123";

const db = testDb();
const events = recordEvents();
let smtp: LoopbackSmtp;

// STARTTLS off unless a test is about it: smtp-server offers it with a
// self-signed certificate, which the client rightly refuses by default.
beforeEach(async () => {
  smtp = await startSmtpServer({ disabledCommands: ["STARTTLS"] });
});
afterEach(async () => {
  setTransport(null);
  await smtp.close();
});
afterAll(() => {
  setTransport(null);
  events.restore();
});

function message(overrides: Partial<OutgoingMessage> = {}): OutgoingMessage {
  return {
    from: "Stepwise <hello@sender.test>",
    to: "ada@example.test",
    subject: "Hello",
    text: "Hi Ada",
    html: "<p>Hi Ada</p>",
    headers: { "List-Unsubscribe": "<https://app.test/u/1>" },
    messageId: "enr1.step1@sender.test",
    idempotencyKey: "enr1:step1",
    ...overrides,
  };
}

/** Long header lines are folded onto continuation lines (RFC 5322 2.2.3). */
function unfolded(raw: string): string {
  return raw.replace(/\r\n[ \t]+/g, " ");
}

async function failureOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected the delivery to fail");
}

describe("SmtpTransport against a loopback SMTP server", () => {
  it("delivers on 250, with our Message-ID and envelope", async () => {
    await new SmtpTransport(smtp.url).deliver(message());
    expect(smtp.accepted).toHaveLength(1);
    expect(smtp.accepted[0].from).toBe("hello@sender.test");
    expect(smtp.accepted[0].to).toEqual(["ada@example.test"]);
    expect(smtp.accepted[0].raw).toMatch(/^Message-ID: <enr1\.step1@sender\.test>\r?$/im);
    expect(smtp.accepted[0].raw).toMatch(/^List-Unsubscribe: <https:\/\/app\.test\/u\/1>\r?$/im);
  });

  it.each([421, 451])("a %i before DATA is transient: retryable", async (code) => {
    smtp.behaviour.mailFrom = { kind: "reply", code, text: "Try again later" };
    const error = await failureOf(new SmtpTransport(smtp.url).deliver(message()));
    expect(error).toBeInstanceOf(TransientDeliveryError);
    expect(error.message).toContain("Try again later");
    expect(smtp.received).toBe(0);
  });

  it("a 451 answering the message itself is transient too: the server did not take it", async () => {
    smtp.behaviour.data = { kind: "reply", code: 451, text: "Greylisted" };
    const error = await failureOf(new SmtpTransport(smtp.url).deliver(message()));
    expect(error).toBeInstanceOf(TransientDeliveryError);
    expect(smtp.received).toBe(1);
  });

  it.each(["mailFrom", "data"] as const)("a 550 (at %s) is permanent, with the server's text", async (phase) => {
    smtp.behaviour[phase] = { kind: "reply", code: 550, text: "Mailbox unavailable" };
    const error = await failureOf(new SmtpTransport(smtp.url).deliver(message()));
    expect(error).not.toBeInstanceOf(TransientDeliveryError);
    expect(error.message).toContain("550 Mailbox unavailable");
  });

  it("a connection cut after the message went out leaves the outcome unknown: not retryable", async () => {
    smtp.behaviour.data = { kind: "drop" };
    const error = await failureOf(new SmtpTransport(smtp.url).deliver(message()));
    expect(smtp.received).toBe(1);
    expect(error).not.toBeInstanceOf(TransientDeliveryError);
    expect(error.message).toMatch(/outcome unknown/);
  });

  it("a connection cut before the message went out is transient", async () => {
    smtp.behaviour.mailFrom = { kind: "drop" };
    const error = await failureOf(new SmtpTransport(smtp.url).deliver(message()));
    expect(error).toBeInstanceOf(TransientDeliveryError);
    expect(smtp.received).toBe(0);
  });

  it("a server silent after the message times out as outcome unknown, within the configured timeout", async () => {
    smtp.behaviour.data = { kind: "silent" };
    const started = Date.now();
    const error = await failureOf(new SmtpTransport(`${smtp.url}?socketTimeout=500`).deliver(message()));
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(smtp.received).toBe(1);
    expect(error).not.toBeInstanceOf(TransientDeliveryError);
    expect(error.message).toMatch(/outcome unknown.*Timeout/);
  });

  it("a server silent before DATA times out as transient", async () => {
    smtp.behaviour.mailFrom = { kind: "silent" };
    const error = await failureOf(new SmtpTransport(`${smtp.url}?socketTimeout=500`).deliver(message()));
    expect(error).toBeInstanceOf(TransientDeliveryError);
    expect(smtp.received).toBe(0);
  });

  it("a refused connection is transient", async () => {
    const port = smtp.port;
    await smtp.close();
    smtp = await startSmtpServer({ disabledCommands: ["STARTTLS"] });
    const error = await failureOf(new SmtpTransport(`smtp://127.0.0.1:${port}`).deliver(message()));
    expect(error).toBeInstanceOf(TransientDeliveryError);
  });

  it("times out a server that never greets, per the default timeouts unless configured", async () => {
    const { SMTP_DEFAULT_TIMEOUTS } = await import("../../lib/email/transports/smtp-outcome");
    expect(SMTP_DEFAULT_TIMEOUTS.socketTimeout).toBeLessThanOrEqual(60_000);
    const net = await import("node:net");
    const mute = net.createServer(() => {});
    await new Promise<void>((resolve) => mute.listen(0, "127.0.0.1", resolve));
    const { port } = mute.address() as { port: number };
    try {
      const error = await failureOf(new SmtpTransport(`smtp://127.0.0.1:${port}?greetingTimeout=300`).deliver(message()));
      expect(error).toBeInstanceOf(TransientDeliveryError);
      expect(error.message).toMatch(/Greeting never received/);
    } finally {
      mute.close();
    }
  });
});

describe("STARTTLS with a self-signed certificate", () => {
  beforeEach(async () => {
    await smtp.close();
    smtp = await startSmtpServer(); // smtp-server's built-in self-signed certificate
  });

  it("is refused by default, before anything is sent (transient: fix the configuration, then it goes)", async () => {
    const error = await failureOf(new SmtpTransport(smtp.url).deliver(message()));
    expect(error).toBeInstanceOf(TransientDeliveryError);
    expect(error.message).toMatch(/certificate/i);
    expect(smtp.received).toBe(0);
  });

  it("is accepted when configured, and the message goes over TLS", async () => {
    await new SmtpTransport(`${smtp.url}?requireTLS=true&tls.rejectUnauthorized=false`).deliver(message());
    expect(smtp.accepted).toHaveLength(1);
    expect(smtp.accepted[0].secure).toBe(true);
  });
});

describe("the send path over real SMTP", () => {
  beforeEach(() => resetDb());

  async function enrolled() {
    const contact = await makeContact(db);
    const sequence = await makeSequence(db);
    const result = await enrollContact(db, { contactId: contact.id, sequenceId: sequence.id, source: "manual" });
    if (result.outcome !== "enrolled") throw new Error(result.outcome);
    const input = await plannedSend(db, result.enrollmentId);
    expect(input.stepId).toBe(sequence.steps[0].id);
    return { contact, input };
  }

  it("sends once on 250 and records the Message-ID it sent", async () => {
    setTransport(new SmtpTransport(smtp.url));
    const { input } = await enrolled();
    const outcome = await sendStep(db, input);
    expect(outcome.outcome).toBe("sent");
    expect(await sendStep(db, input)).toEqual({ outcome: "already_handled", status: "sent" });
    expect(smtp.accepted).toHaveLength(1);
    const send = await db.stepSend.findUniqueOrThrow({ where: { enrollmentId_stepId: { enrollmentId: input.enrollmentId, stepId: input.stepId } } });
    expect(unfolded(smtp.accepted[0].raw)).toContain(`Message-ID: <${send.messageId}>`);
  });

  it("a 451 leaves the step retryable, and the retry delivers it once", async () => {
    setTransport(new SmtpTransport(smtp.url));
    const { input } = await enrolled();
    smtp.behaviour.mailFrom = { kind: "reply", code: 451, text: "Try again later" };
    await expect(sendStep(db, input)).rejects.toBeInstanceOf(TransientDeliveryError);
    const failed = await db.stepSend.findUniqueOrThrow({ where: { enrollmentId_stepId: { enrollmentId: input.enrollmentId, stepId: input.stepId } } });
    expect(failed).toMatchObject({ status: "failed", retryable: true });

    smtp.behaviour.mailFrom = { kind: "accept" };
    expect((await sendStep(db, input)).outcome).toBe("sent");
    expect(smtp.accepted).toHaveLength(1);
  });

  it("a 550 fails the step for good, with the server's text on the timeline", async () => {
    setTransport(new SmtpTransport(smtp.url));
    const { input } = await enrolled();
    smtp.behaviour.data = { kind: "reply", code: 550, text: "No such user here" };
    expect(await sendStep(db, input)).toMatchObject({ outcome: "failed" });
    expect(await sendStep(db, input)).toEqual({ outcome: "already_handled", status: "failed" });
    const event = await db.enrollmentEvent.findFirstOrThrow({ where: { enrollmentId: input.enrollmentId, type: "step_failed" } });
    expect(JSON.stringify(event.data)).toContain("550 No such user here");
    expect(smtp.received).toBe(1);
  });

  it.each([
    ["dropped", { kind: "drop" } as const, ""],
    ["timed out", { kind: "silent" } as const, "?socketTimeout=500"],
  ])("a connection %s after the message went out is never re-sent", async (_label, behaviour, query) => {
    setTransport(new SmtpTransport(smtp.url + query));
    const { input } = await enrolled();
    smtp.behaviour.data = behaviour;
    expect(await sendStep(db, input)).toMatchObject({ outcome: "failed" });
    const send = await db.stepSend.findUniqueOrThrow({ where: { enrollmentId_stepId: { enrollmentId: input.enrollmentId, stepId: input.stepId } } });
    expect(send).toMatchObject({ status: "failed", retryable: false });
    expect(send.error).toMatch(/outcome unknown/);

    // A restarted run, the server healthy again: the step is not sent again.
    smtp.behaviour.data = { kind: "accept" };
    expect(await sendStep(db, input)).toEqual({ outcome: "already_handled", status: "failed" });
    expect(smtp.received).toBe(1);
    expect(smtp.accepted).toHaveLength(0);
  });
});

describe("a pooled connection (?pool=true)", () => {
  const pooled = (query: string) => new SmtpTransport(`${smtp.url}?pool=true&${query}`);
  const numbered = (n: number) => message({ to: `c${n}@example.test`, messageId: `pool${n}@sender.test`, idempotencyKey: `pool:${n}` });

  it("sends concurrent messages over at most maxConnections connections", async () => {
    const transport = pooled("maxConnections=2");
    await Promise.all(Array.from({ length: 12 }, (_, n) => transport.deliver(numbered(n))));
    transport.close();
    expect(smtp.accepted.map((m) => m.to[0]).sort()).toEqual(Array.from({ length: 12 }, (_, n) => `c${n}@example.test`).sort());
    expect(smtp.connections).toBeLessThanOrEqual(2);
  });

  it("opens a new connection after maxMessages on one", async () => {
    const transport = pooled("maxConnections=1&maxMessages=3");
    for (let n = 0; n < 7; n++) await transport.deliver(numbered(n));
    transport.close();
    expect(smtp.accepted).toHaveLength(7);
    expect(smtp.connections).toBe(3);
  });

  it("a kept connection the server closed while idle: the next message goes on a new one, once", async () => {
    const transport = pooled("maxConnections=1");
    await transport.deliver(numbered(1));
    smtp.disconnectAll();
    await new Promise((r) => setTimeout(r, 50));
    await transport.deliver(numbered(2));
    transport.close();
    expect(smtp.accepted.map((m) => m.to[0])).toEqual(["c1@example.test", "c2@example.test"]);
    expect(smtp.received).toBe(2);
  });

  it("keeps the outcomes: 451 transient, 550 permanent, a drop after the message unknown; the pool goes on sending", async () => {
    const transport = pooled("maxConnections=1");
    await transport.deliver(numbered(1));
    smtp.behaviour.data = { kind: "reply", code: 451, text: "4.7.1 Try again later" };
    await expect(transport.deliver(numbered(2))).rejects.toBeInstanceOf(TransientDeliveryError);
    smtp.behaviour.data = { kind: "reply", code: 550, text: "5.1.1 No such user" };
    const rejected = await failureOf(transport.deliver(numbered(3)));
    expect(rejected).not.toBeInstanceOf(TransientDeliveryError);
    expect(rejected.message).toContain("5.1.1 No such user");
    smtp.behaviour.data = { kind: "drop" };
    const dropped = await failureOf(transport.deliver(numbered(4)));
    expect(dropped.message).toContain("outcome unknown, not re-sent");
    expect(smtp.received).toBe(4);
    smtp.behaviour.data = { kind: "accept" };
    await transport.deliver(numbered(5));
    transport.close();
    expect(smtp.accepted.map((m) => m.to[0])).toEqual(["c1@example.test", "c5@example.test"]);
  });
});
