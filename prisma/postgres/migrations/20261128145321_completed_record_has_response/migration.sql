-- Made by `npm run db:migration -- completed_record_has_response --allow-empty`, then
-- written by hand: a CHECK constraint, which Prisma's schema language cannot express.
-- A completed idempotency record holds the response it replays: its status and body.
-- (The headers may be missing: the replay then sends none.) completeRecord writes them
-- with the state; from now on the database refuses any write that does not.

-- Rows that break the rule could only have been written by hand. Such a row cannot be
-- replayed: every retry of its key fails (a 500) until the record expires. Delete them,
-- as if they had expired: a retry then runs afresh, and if the first request did place
-- an order, the order key finds that order and answers with it (decision 0003), so no
-- second order is placed.
DELETE FROM "IdempotencyRecord"
WHERE "state" = 'completed' AND ("responseStatus" IS NULL OR "responseBody" IS NULL);

-- AddCheckConstraint
ALTER TABLE "IdempotencyRecord" ADD CONSTRAINT "IdempotencyRecord_completed_has_response"
    CHECK ("state" <> 'completed' OR ("responseStatus" IS NOT NULL AND "responseBody" IS NOT NULL));
