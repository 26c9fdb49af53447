import { requireLiveContact } from "@/lib/api/contacts";
import { apiHandler, apiJson, readBody } from "@/lib/api/handler";
import { adjustLeadScore, setLeadScore } from "@/lib/contacts/score";
import { ZScoreBody } from "@/lib/validations/contact";

/** Sets ({score}) or adjusts ({delta}) the lead score; score_threshold triggers fire on a crossing. */
export const PUT = apiHandler<{ id: string }>(async ({ request, db, params }) => {
  const body = await readBody(request, ZScoreBody);
  const contactId = await requireLiveContact(db, params.id);
  const change =
    body.score !== undefined
      ? await setLeadScore(db, { contactId, score: body.score, source: "api" })
      : await adjustLeadScore(db, { contactId, delta: body.delta!, source: "api" });
  return apiJson({ previous: change.previous, leadScore: change.next, triggers: change.triggers });
});
