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

-- SQLite cannot add a constraint to a table: the table is made again, as Prisma's own
-- migrations redefine one, with the same columns, defaults and indexes, the CHECK of the
-- first migration (IdempotencyRecord_state_known) carried over, and the new one added.
-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_IdempotencyRecord" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "customerId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "lockedBy" TEXT,
    "lockedUntil" DATETIME,
    "responseStatus" INTEGER,
    "responseHeaders" TEXT,
    "responseBody" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL,
    CONSTRAINT "IdempotencyRecord_state_known" CHECK ("state" IN ('in_progress', 'completed')),
    CONSTRAINT "IdempotencyRecord_completed_has_response" CHECK ("state" <> 'completed' OR ("responseStatus" IS NOT NULL AND "responseBody" IS NOT NULL))
);
INSERT INTO "new_IdempotencyRecord" ("createdAt", "customerId", "expiresAt", "fingerprint", "id", "key", "lockedBy", "lockedUntil", "responseBody", "responseHeaders", "responseStatus", "state") SELECT "createdAt", "customerId", "expiresAt", "fingerprint", "id", "key", "lockedBy", "lockedUntil", "responseBody", "responseHeaders", "responseStatus", "state" FROM "IdempotencyRecord";
DROP TABLE "IdempotencyRecord";
ALTER TABLE "new_IdempotencyRecord" RENAME TO "IdempotencyRecord";
CREATE INDEX "IdempotencyRecord_expiresAt_idx" ON "IdempotencyRecord"("expiresAt");
CREATE UNIQUE INDEX "IdempotencyRecord_customerId_key_key" ON "IdempotencyRecord"("customerId", "key");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
