import { healOverdue } from "./heal-overdue-enrollments";
import { runEnrollment } from "./run-enrollment";

export const functions = [runEnrollment, healOverdue];
