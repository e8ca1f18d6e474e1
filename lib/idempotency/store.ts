// The life of an idempotency record: claimed, then completed or released.
//
// Each step is a single conditional write, so that concurrent requests (and
// concurrent app instances) cannot both believe they own a key:
// - claimKey inserts the record; the unique (customerId, key) lets exactly one of
//   many concurrent inserts succeed. The others read what is there instead.
// - A claim carries a token (`lockedBy`) and a lease (`lockedUntil`). If its
//   holder dies, a request with the key after the lease takes it over by swapping
//   the token (and the fingerprint: the key is the taker's now), and only the holder
//   of the current token may complete or release the record.
// - completeRecord runs inside the caller's transaction, with the work itself, so
//   the work and its stored response commit together or not at all.
import { randomUUID } from "node:crypto";
import type { Database, Transaction } from "@/lib/database/client";
import { isUniqueViolation } from "@/lib/database/errors";
import { runInTransaction } from "@/lib/database/transaction";

export type StoredResponse = {
  status: number;
  /** Only the headers worth replaying, such as Location and Content-Type. */
  headers: Record<string, string>;
  body: string;
};

/** Proof of ownership of a key, handed to completeRecord and releaseClaim. */
export type Claim = { recordId: string; token: string };

export type ClaimOutcome =
  | { kind: "claimed"; claim: Claim }
  | { kind: "completed"; response: StoredResponse }
  | { kind: "in-progress" }
  | { kind: "fingerprint-mismatch" };

export type ClaimRequest = {
  /**
   * Whose key this is: keys of different scopes never meet. Stored in the column
   * `customerId`, as in this app a key's scope is always its customer.
   */
  scope: string;
  key: string;
  fingerprint: string;
  /**
   * The clock. It is read inside each claim's transaction, once the connection is
   * ours: a request may wait up to maxWait for one, and a lease counted from before
   * that wait would be shorter than `leaseMs`.
   */
  now: () => Date;
  leaseMs: number;
  ttlMs: number;
};

/** Thrown when a request's claim was taken over by another before it completed. */
export class LostClaimError extends Error {
  constructor() {
    super("The idempotency key was taken over by another request");
  }
}

export async function claimKey(db: Database, request: ClaimRequest): Promise<ClaimOutcome> {
  // A few rounds at most: a round repeats only when the record changed between our
  // failed insert and our look at it (released meanwhile), or when another request
  // won the race to take it over or to reuse it once expired.
  for (let round = 0; round < 5; round++) {
    const inserted = await insertClaim(db, request);
    if (inserted) return { kind: "claimed", claim: inserted };
    const outcome = await runInTransaction(db, (tx) => inspectOrTakeOver(tx, request));
    if (outcome) return outcome;
  }
  // The key is changing hands too fast to tell; the client may simply retry.
  return { kind: "in-progress" };
}

async function insertClaim(db: Database, request: ClaimRequest): Promise<Claim | null> {
  const token = randomUUID();
  try {
    const record = await runInTransaction(db, (tx) => {
      const now = request.now();
      return tx.idempotencyRecord.create({
        data: {
          customerId: request.scope,
          key: request.key,
          fingerprint: request.fingerprint,
          state: "in_progress",
          lockedBy: token,
          lockedUntil: new Date(now.getTime() + request.leaseMs),
          createdAt: now,
          expiresAt: new Date(now.getTime() + request.ttlMs),
        },
        select: { id: true },
      });
    });
    return { recordId: record.id, token };
  } catch (error) {
    if (isUniqueViolation(error)) return null;
    throw error;
  }
}

/** Decides what a request whose key is already recorded gets. Null means "try again". */
async function inspectOrTakeOver(tx: Transaction, request: ClaimRequest): Promise<ClaimOutcome | null> {
  const record = await tx.idempotencyRecord.findUnique({
    where: { customerId_key: { customerId: request.scope, key: request.key } },
  });
  if (!record) return null; // released since our insert failed: insert again

  const now = request.now();
  const token = randomUUID();
  const lease = { lockedBy: token, lockedUntil: new Date(now.getTime() + request.leaseMs) };

  // An expired record is as good as absent: it is never replayed. Reuse its row for a
  // fresh claim; the condition on expiresAt lets only one request do so.
  if (record.expiresAt <= now) {
    const { count } = await tx.idempotencyRecord.updateMany({
      where: { id: record.id, expiresAt: record.expiresAt },
      data: {
        ...lease,
        fingerprint: request.fingerprint,
        state: "in_progress",
        responseStatus: null,
        responseHeaders: null,
        responseBody: null,
        createdAt: now,
        expiresAt: new Date(now.getTime() + request.ttlMs),
      },
    });
    return count === 1 ? { kind: "claimed", claim: { recordId: record.id, token } } : null;
  }

  if (record.state === "completed") {
    if (record.fingerprint !== request.fingerprint) return { kind: "fingerprint-mismatch" };
    // completeRecord writes the status and body with the state, and the database refuses
    // a completed record without them (the CHECK IdempotencyRecord_completed_has_response).
    // Should one be read all the same, fail (a 500, not stored) rather than replay an
    // answer never given.
    if (record.responseStatus === null || record.responseBody === null)
      throw new Error(`Idempotency record ${record.id} is completed without a response`);
    return {
      kind: "completed",
      response: {
        status: record.responseStatus,
        headers: JSON.parse(record.responseHeaders ?? "{}") as Record<string, string>,
        body: record.responseBody,
      },
    };
  }

  // In progress. A key belongs to the request whose answer is stored under it, not yet
  // to the one at work, which may still give it back (it fails, or its handler answers
  // without storing: `unstored`). So, whatever this request's body: while the holder's
  // lease runs, "not yet"; refusing a different body now would refuse a request that,
  // once the key is free, may be the right one (the retry of the request that first
  // completed the key, before its record expired).
  if (record.lockedUntil && record.lockedUntil > now) return { kind: "in-progress" };

  // The lease ran out: its holder died or stalled. Take the key over by swapping the
  // token, and the fingerprint with it: the answer stored will be this request's. If
  // the old holder wakes up, its completeRecord finds a token that is no longer its own
  // and rolls back. The record then lives a full time-to-live from now: taken over
  // shortly before its expiry, it would otherwise be reclaimed as expired by another
  // request while the new holder is still at work.
  const { count } = await tx.idempotencyRecord.updateMany({
    where: { id: record.id, state: "in_progress", lockedBy: record.lockedBy },
    data: { ...lease, fingerprint: request.fingerprint, expiresAt: new Date(now.getTime() + request.ttlMs) },
  });
  return count === 1 ? { kind: "claimed", claim: { recordId: record.id, token } } : null;
}

/**
 * Stores the response under the key. Call it inside the transaction that did the
 * work: if the claim was lost meanwhile, it throws and the work rolls back with it.
 */
export async function completeRecord(tx: Transaction, claim: Claim, response: StoredResponse) {
  const { count } = await tx.idempotencyRecord.updateMany({
    where: { id: claim.recordId, lockedBy: claim.token, state: "in_progress" },
    data: {
      state: "completed",
      lockedBy: null,
      lockedUntil: null,
      responseStatus: response.status,
      responseHeaders: JSON.stringify(response.headers),
      responseBody: response.body,
    },
  });
  if (count !== 1) throw new LostClaimError();
}

/** Gives the key back after a failure that must not be stored, so a retry can run. */
export async function releaseClaim(db: Database, claim: Claim) {
  await runInTransaction(db, (tx) =>
    tx.idempotencyRecord.deleteMany({ where: { id: claim.recordId, lockedBy: claim.token, state: "in_progress" } }),
  );
}

/**
 * Deletes records past their expiry, a batch per transaction, so that a large
 * backlog neither hits the statement timeout nor holds locks for long. Returns how
 * many were deleted. Each batch is the lowest expired ids first, so that what a batch
 * deletes does not depend on the query plan. It stops when a batch finds fewer than
 * `batchSize` expired records, not when it deletes fewer: a concurrent cleanup (or a
 * reclaim) may have taken some of the batch, and more may wait behind it.
 */
export async function deleteExpiredRecords(db: Database, now = new Date(), batchSize = 1000): Promise<number> {
  let deleted = 0;
  for (;;) {
    const batch = await runInTransaction(db, async (tx) => {
      const expired = await tx.idempotencyRecord.findMany({
        where: { expiresAt: { lte: now } },
        select: { id: true },
        orderBy: { id: "asc" },
        take: batchSize,
      });
      const ids = expired.map((record) => record.id);
      const { count } = await tx.idempotencyRecord.deleteMany({ where: { id: { in: ids }, expiresAt: { lte: now } } });
      return { found: ids.length, deleted: count };
    });
    deleted += batch.deleted;
    if (batch.found < batchSize) return deleted;
  }
}
