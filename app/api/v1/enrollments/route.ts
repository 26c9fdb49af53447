import { apiError, apiHandler, apiJson, readBody } from "@/lib/api/handler";
import { ENROLL_REFUSALS } from "@/lib/sequences/enroll-refusals";
import { enrollContact } from "@/lib/sequences/enroll-contact";
import { exitContact } from "@/lib/sequences/exit-contact";
import { ZApiEnrollBody, ZApiUnenrollBody } from "@/lib/validations/api";

/** 201 enrolled, 200 already enrolled, 404 unknown contact/sequence, 409 refused (with reason). */
export const POST = apiHandler(async ({ request, db }) => {
  const body = await readBody(request, ZApiEnrollBody);
  const contactId = body.contactId ?? (await db.contact.findUnique({ where: { email: body.email! }, select: { id: true } }))?.id;
  const result = contactId
    ? await enrollContact(db, { contactId, sequenceId: body.sequenceId, source: "api" })
    : ({ outcome: "refused", reason: "contact_not_found" } as const);

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
  const { exited } = await exitContact(db, { contactId, sequenceId, reason: "removed", detail: `Removed through the API (key "${principal.name}")` });
  return apiJson({ removed: exited.length });
});
