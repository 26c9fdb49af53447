import { apiError, apiHandler, apiJson, readBody } from "@/lib/api/handler";
import { apiKeyActor } from "@/lib/audit/actor";
import { audited, beginAudit } from "@/lib/audit/audited";
import { ENROLL_REFUSALS } from "@/lib/sequences/enroll-refusals";
import { enrollContact } from "@/lib/sequences/enroll-contact";
import { exitContact } from "@/lib/sequences/exit-contact";
import { ZApiEnrollBody, ZApiUnenrollBody } from "@/lib/validations/api";

/** 201 enrolled, 200 already enrolled, 404 unknown contact/sequence, 409 refused (with reason). */
export const POST = apiHandler(async ({ request, db, principal }) => {
  const body = await readBody(request, ZApiEnrollBody);
  const contactId = body.contactId ?? (await db.contact.findUnique({ where: { email: body.email! }, select: { id: true } }))?.id;
  const audit = contactId ? await beginAudit(db, apiKeyActor(principal, request), "contact.enroll", { type: "contact", id: contactId, sequenceId: body.sequenceId }) : null;
  const result = contactId
    ? await enrollContact(db, { contactId, sequenceId: body.sequenceId, source: "api" })
    : ({ outcome: "refused", reason: "contact_not_found" } as const);
  await audit?.done();

  switch (result.outcome) {
    case "enrolled":
      return apiJson({ outcome: result.outcome, enrollmentId: result.enrollmentId }, 201);
    case "already_enrolled":
      return apiJson({ outcome: result.outcome, enrollmentId: result.enrollmentId }, 200);
    case "refused": {
      const { httpStatus: status, message } = ENROLL_REFUSALS[result.reason];
      const code = status === 404 ? "not_found" : "conflict";
      return apiError(status, code, message, undefined, undefined, { outcome: result.outcome, reason: result.reason });
    }
  }
});

/** Ends the contact's live enrollment in the sequence (exit reason: removed). */
export const DELETE = apiHandler(async ({ request, db, principal }) => {
  const { contactId, sequenceId } = await readBody(request, ZApiUnenrollBody);
  const { exited } = await exitContact(audited(db, apiKeyActor(principal, request), "contact.remove", { type: "contact", id: contactId, sequenceId }), { contactId, sequenceId, reason: "removed", detail: `Removed through the API (key "${principal.name}")` });
  return apiJson({ removed: exited.length });
});
