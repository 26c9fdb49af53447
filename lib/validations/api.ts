/** Request bodies of the JSON API that no other form shares. */
import { z } from "zod";
import { ZEmail } from "../contacts/email";
import { ZContactInput } from "./contact";
import { ZId } from "./enrollment";

export const ZApiContactBody = ZContactInput.extend({ fireTriggers: z.boolean().optional() });

/** Enroll a contact given by id or by email (exactly one). */
export const ZApiEnrollBody = z
  .object({ contactId: ZId.optional(), email: ZEmail.optional(), sequenceId: ZId })
  .refine((body) => (body.contactId === undefined) !== (body.email === undefined), {
    message: "Give either contactId or email",
    path: ["contactId"],
  });

export const ZApiUnenrollBody = z.object({ contactId: ZId, sequenceId: ZId });
