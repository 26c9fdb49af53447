-- CreateIndex
CREATE INDEX "EnrollmentEvent_createdAt_id_idx" ON "EnrollmentEvent"("createdAt", "id");

-- CreateIndex
CREATE INDEX "EnrollmentEvent_sequenceId_createdAt_id_idx" ON "EnrollmentEvent"("sequenceId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "EnrollmentEvent_type_createdAt_id_idx" ON "EnrollmentEvent"("type", "createdAt", "id");

