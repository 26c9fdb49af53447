import { deliverWebhooks } from "./deliver-webhooks";
import { healOverdue } from "./heal-overdue-enrollments";
import { readMailboxFn } from "./read-mailbox";
import { readMailboxesFn } from "./read-mailboxes";
import { runCohort } from "./run-cohort";
import { runEnrollment } from "./run-enrollment";

export const functions = [runEnrollment, runCohort, healOverdue, readMailboxesFn, readMailboxFn, deliverWebhooks];
