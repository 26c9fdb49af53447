-- Hand-written: the every-5-minutes search for sends claimed long ago and
-- never resolved (lib/sequences/abandoned-claims.ts). Only "claimed" rows,
-- so the index stays small and the search never reads the whole table.
CREATE INDEX "step_send_claimed" ON "StepSend" ("claimedAt") WHERE "status" = 'claimed';
