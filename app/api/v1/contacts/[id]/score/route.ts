import { requireLiveContact } from "@/lib/api/contacts";
import { apiHandler, apiJson, readBody } from "@/lib/api/handler";
import { apiKeyActor } from "@/lib/audit/actor";
import { beginAudit } from "@/lib/audit/audited";
import { adjustLeadScore, setLeadScore } from "@/lib/contacts/score";
import { ZScoreBody } from "@/lib/validations/contact";

/** Sets ({score}) or adjusts ({delta}) the lead score; score_threshold triggers fire on a crossing. */
export const PUT = apiHandler<{ id: string }>(async ({ request, db, params, principal }) => {
  const body = await readBody(request, ZScoreBody);
  const contactId = await requireLiveContact(db, params.id);
  // After the change, not in it: score triggers may enroll the contact in transactions of their own.
  const audit = await beginAudit(db, apiKeyActor(principal, request), "contact.score", { type: "contact", id: contactId });
  const change =
    body.score !== undefined
      ? await setLeadScore(db, { contactId, score: body.score, source: "api" })
      : await adjustLeadScore(db, { contactId, delta: body.delta!, source: "api" });
  await audit.done();
  return apiJson({ previous: change.previous, leadScore: change.next, triggers: change.triggers });
});
