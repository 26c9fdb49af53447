import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { getDb } from "../../lib/db/client";
import { enrollContact } from "../../lib/sequences/enroll-contact";
import { resetDb } from "../support/db";
import { makeContact, makeSequence } from "../support/factories";
import { startHarness, type Harness } from "../support/run-harness";

const DAY = 86_400_000;

let h: Harness;
const db = () => getDb();

beforeEach(async () => {
  h = await startHarness();
  await resetDb(db());
});
afterEach(async () => {
  await h.stop();
});

const inbox = (to: string) => db().caughtMessage.findMany({ where: { toAddress: to }, orderBy: { createdAt: "asc" } });

/** The one-click URL a mailbox provider would POST to, from the List-Unsubscribe header. */
function oneClickUrl(headers: unknown): URL {
  const value = (headers as Record<string, string>)["List-Unsubscribe"];
  const match = value?.match(/^<(https?:\/\/[^>]+)>$/);
  if (!match) throw new Error(`no one-click URL in List-Unsubscribe: ${value}`);
  return new URL(match[1]);
}

describe("unsubscribing from a received email", () => {
  it("the one-click URL in step 1 stops the sequence: nothing more arrives", async () => {
    const { POST } = await import("../../app/api/unsubscribe/[token]/route");
    const contact = await makeContact(db(), { firstName: "Ada" });
    const sequence = await makeSequence(db(), {
      steps: [
        { subject: "One", delayAmount: 0, delayUnit: "minutes" },
        { subject: "Two", delayAmount: 1, delayUnit: "days" },
        { subject: "Three", delayAmount: 2, delayUnit: "days" },
      ],
    });
    await enrollContact(db(), { contactId: contact.id, sequenceId: sequence.id, source: "manual" });
    await h.executor.runUntilIdle();

    const [first] = await inbox(contact.email);
    expect(first.subject).toBe("One");
    expect(first.headers).toMatchObject({ "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" });
    const url = oneClickUrl(first.headers);
    expect(url.pathname).toMatch(/^\/api\/unsubscribe\/[\w-]+\.[\w-]+$/);

    // What Gmail and others do: a cookieless POST with the RFC 8058 body.
    await h.executor.advance(DAY / 2);
    const token = url.pathname.split("/").pop()!;
    const response = await POST(
      new Request(url, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "List-Unsubscribe=One-Click" }),
      { params: Promise.resolve({ token }) },
    );
    expect(response.status).toBe(200);
    await h.executor.runUntilIdle();
    expect(h.published.map((e) => e.name)).toContain("contact.opted_out");
    expect(h.executor.runs({ functionId: "stepwise-run-enrollment" })[0].status).toBe("cancelled");

    await h.executor.advance(10 * DAY);
    expect((await inbox(contact.email)).map((m) => m.subject)).toEqual(["One"]);
    const enrollment = await db().enrollment.findFirstOrThrow({ where: { contactId: contact.id } });
    expect(enrollment).toMatchObject({ status: "opted_out", exitReason: "opted_out" });
    const send = await db().stepSend.findFirstOrThrow({ where: { enrollmentId: enrollment.id } });
    const consent = await db().consentEvent.findFirstOrThrow({ where: { contactId: contact.id } });
    // The link records which message it came in.
    expect(consent).toMatchObject({ type: "unsubscribed", source: "one_click", messageRef: send.id });
    expect(consent.createdAt.getTime()).toBe(h.clock.now() - 10 * DAY);
  });
});
