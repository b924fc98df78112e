import { Injectable } from '@nestjs/common';
import {
  type ImipMessageStatus,
  type ImipMethod,
  type ImipReference,
  type ImipScheduleStatus,
  type ImipState,
} from '@davmesh/contracts';
import { selectJsonRows, SqlRepository } from '@davmesh/storage';

export interface NewImipMessage {
  from: string;
  to: string;
  method: ImipMethod;
  ical: string;
  /** The RFC 5322 Message-ID every attempt sends, so a recipient can tell a repeat. */
  messageId: string;
  reference?: ImipReference;
  /** `refused` when the address is no e-mail address: settled at once. */
  state: 'queued' | 'refused';
  scheduleStatus: ImipScheduleStatus;
  lastResponse?: string;
}

/** A message a sender holds the lease of. */
export interface ClaimedImipMessage {
  id: string;
  from: string;
  to: string;
  method: ImipMethod;
  ical: string;
  messageId: string;
  /** Attempts before this one. */
  attempts: number;
  /** Seconds since it was queued, by the database's clock. */
  ageSeconds: number;
}

/** What one attempt came to: another try in `retryInSeconds`, or a final state. */
export type ImipAttemptResult =
  | { state: 'queued'; scheduleStatus: '1.0'; retryInSeconds: number; response: string }
  | { state: Exclude<ImipState, 'queued'>; scheduleStatus: ImipScheduleStatus; response: string };

interface StatusRow {
  id: string;
  created_at: string | Date;
  state: ImipState;
  schedule_status: ImipScheduleStatus;
  next_attempt_at: string | Date | null;
  attempts: number;
  from_address: string;
  to_address: string;
  method: ImipMethod;
  owner_user_id: number | null;
  uid: string | null;
  recipient: string | null;
  last_response: string | null;
  finished_at: string | Date | null;
}

const STATUS_COLUMNS = `"id"::text AS "id", "created_at", "state", "schedule_status", "next_attempt_at", "attempts", "from_address", "to_address",
  "method", "owner_user_id", "uid", "recipient", "last_response", "finished_at"`;

const iso = (value: string | Date | null) => (value === null ? null : new Date(value).toISOString());

function toStatus(row: StatusRow): ImipMessageStatus {
  return {
    messageId: row.id,
    state: row.state,
    scheduleStatus: row.schedule_status,
    created: iso(row.created_at)!,
    nextAttemptAt: iso(row.next_attempt_at),
    attempts: Number(row.attempts),
    from: row.from_address,
    to: row.to_address,
    method: row.method,
    reference: row.owner_user_id !== null && row.uid !== null && row.recipient !== null ? { ownerUserId: row.owner_user_id, uid: row.uid, recipient: row.recipient } : null,
    lastResponse: row.last_response,
    finishedAt: iso(row.finished_at),
  };
}

/** SQL of the outgoing iMIP queue (`calendar.imip_outgoing`). */
@Injectable()
export class ImipOutgoingRepository extends SqlRepository {
  /** Inside the caller's transaction when bound to one: the message commits with the write that made it. */
  async insert(message: NewImipMessage): Promise<string> {
    const queued = message.state === 'queued';
    const rows: { id: string }[] = await this.manager.query(
      `INSERT INTO "calendar"."imip_outgoing"
         ("state", "schedule_status", "next_attempt_at", "from_address", "to_address", "method", "ical", "message_id",
          "owner_user_id", "uid", "recipient", "last_response", "finished_at")
       VALUES ($1, $2, CASE WHEN $3 THEN clock_timestamp() END, $4, $5, $6, $7, $8, $9, $10, $11, $12, CASE WHEN $3 THEN NULL ELSE clock_timestamp() END)
       RETURNING "id"::text AS "id"`,
      [
        message.state,
        message.scheduleStatus,
        queued,
        message.from,
        message.to,
        message.method,
        message.ical,
        message.messageId,
        message.reference?.ownerUserId ?? null,
        message.reference?.uid ?? null,
        message.reference?.recipient ?? null,
        message.lastResponse ?? null,
      ],
    );
    return rows[0].id;
  }

  /**
   * Leases up to `limit` queued messages whose time has come and that no one holds, the
   * longest waiting first. SKIP LOCKED and the lease let the senders of several replicas share
   * the queue without taking a message twice and without a transaction open while they talk
   * SMTP; a lease that runs out (its replica died mid-send) frees the message again.
   */
  async claimDue(leaseSeconds: number, limit: number): Promise<ClaimedImipMessage[]> {
    const rows: (Omit<ClaimedImipMessage, 'from' | 'to' | 'messageId' | 'ageSeconds'> & {
      from_address: string;
      to_address: string;
      message_id: string;
      age_seconds: string | number;
    })[] = await this.manager.query(
      `WITH due AS (
         SELECT "id" FROM "calendar"."imip_outgoing"
          WHERE "state" = 'queued' AND "next_attempt_at" <= clock_timestamp()
            AND ("claimed_until" IS NULL OR "claimed_until" < clock_timestamp())
          ORDER BY "next_attempt_at", "id" LIMIT $2 FOR UPDATE SKIP LOCKED
       ), claimed AS (
         UPDATE "calendar"."imip_outgoing" m SET "claimed_until" = clock_timestamp() + make_interval(secs => $1::double precision)
           FROM due WHERE m."id" = due."id"
         RETURNING m."id"::text AS "id", m."from_address", m."to_address", m."method", m."ical", m."message_id", m."attempts",
                   extract(epoch from clock_timestamp() - m."created_at")::double precision AS "age_seconds"
       ) SELECT * FROM claimed ORDER BY "id"::bigint`,
      [leaseSeconds, limit],
    );
    return rows.map((row) => ({
      id: row.id,
      from: row.from_address,
      to: row.to_address,
      method: row.method,
      ical: row.ical,
      messageId: row.message_id,
      attempts: Number(row.attempts),
      ageSeconds: Number(row.age_seconds),
    }));
  }

  /** Gives leases back without counting an attempt (the sender could not try: no settings). */
  async release(ids: string[]): Promise<void> {
    if (ids.length > 0) {
      await this.manager.query(`UPDATE "calendar"."imip_outgoing" SET "claimed_until" = NULL WHERE "id" = ANY($1::bigint[])`, [ids]);
    }
  }

  /**
   * Records an attempt on a message still queued; undefined when it is not (another sender,
   * whose lease this one outlived, settled it first).
   */
  async recordAttempt(id: string, result: ImipAttemptResult): Promise<ImipMessageStatus | undefined> {
    const retry = result.state === 'queued' ? result.retryInSeconds : null;
    const rows: StatusRow[] = await this.manager.query(
      `WITH recorded AS (
         UPDATE "calendar"."imip_outgoing" SET
           "state" = $2, "schedule_status" = $3, "attempts" = "attempts" + 1, "claimed_until" = NULL, "last_response" = $4,
           "next_attempt_at" = CASE WHEN $5::double precision IS NULL THEN NULL ELSE clock_timestamp() + make_interval(secs => $5::double precision) END,
           "finished_at" = CASE WHEN $5::double precision IS NULL THEN clock_timestamp() END
         WHERE "id" = $1 AND "state" = 'queued'
         RETURNING ${STATUS_COLUMNS}
       ) SELECT * FROM recorded`,
      [id, result.state, result.scheduleStatus, result.response.slice(0, 1000), retry],
    );
    return rows[0] && toStatus(rows[0]);
  }

  async find(id: string): Promise<ImipMessageStatus | undefined> {
    const rows: StatusRow[] = await this.manager.query(`SELECT ${STATUS_COLUMNS} FROM "calendar"."imip_outgoing" WHERE "id" = $1`, [id]);
    return rows[0] && toStatus(rows[0]);
  }

  /** A page in id order, optionally of one state or one owner's messages. */
  async list(filter: { state?: ImipState; ownerUserId?: number }, after: string | undefined, limit: number): Promise<ImipMessageStatus[]> {
    const rows = await selectJsonRows<StatusRow>(
      this.manager,
      `SELECT ${STATUS_COLUMNS} FROM "calendar"."imip_outgoing"
        WHERE "id" > $1 AND ($2::text IS NULL OR "state" = $2) AND ($3::integer IS NULL OR "owner_user_id" = $3)
        ORDER BY "id" LIMIT $4`,
      [after ?? '0', filter.state ?? null, filter.ownerUserId ?? null, limit],
      'r."id"::bigint',
    );
    return rows.map(toStatus);
  }

  /**
   * True when a later message than `messageId` went to the same recipient about the same UID of
   * the same owner: that one's outcome is what the recipient's SCHEDULE-STATUS says.
   */
  async hasNewer(messageId: string, reference: ImipReference): Promise<boolean> {
    const rows: { newer: boolean }[] = await this.manager.query(
      `SELECT EXISTS (
         SELECT 1 FROM "calendar"."imip_outgoing" WHERE "owner_user_id" = $1 AND "uid" = $2 AND "recipient" = $3 AND "id" > $4
       ) AS "newer"`,
      [reference.ownerUserId, reference.uid, reference.recipient, messageId],
    );
    return rows[0].newer;
  }

  /** Settled messages older than `days` go; answers how many. */
  async deleteSettled(days: number): Promise<number> {
    const rows: { n: number }[] = await this.manager.query(
      `WITH gone AS (
         DELETE FROM "calendar"."imip_outgoing" WHERE "state" <> 'queued' AND "finished_at" < clock_timestamp() - make_interval(days => $1)
         RETURNING 1
       ) SELECT count(*)::integer AS "n" FROM gone`,
      [days],
    );
    return Number(rows[0].n);
  }
}
