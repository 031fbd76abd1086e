import type { Db } from '../../db/pool.js';

export interface DistributorRequestInput {
  merchantId: string;
  offerId: number | null;
  distributorName: string;
  contact: string;
  note: string | null;
  requestedBy: string;
}

export interface DistributorRequestRow extends DistributorRequestInput {
  id: number;
  createdAt: Date;
}

export async function insertDistributorRequest(db: Db, input: DistributorRequestInput): Promise<DistributorRequestRow> {
  const { rows } = await db.query<DistributorRequestRow>(
    `INSERT INTO distributor_requests (merchant_id, offer_id, distributor_name, contact, note, requested_by) VALUES ($1, $2, $3, $4, $5, $6)
     RETURNING id::int, merchant_id AS "merchantId", offer_id::int AS "offerId", distributor_name AS "distributorName", contact, note, requested_by AS "requestedBy", created_at AS "createdAt"`,
    [input.merchantId, input.offerId, input.distributorName, input.contact, input.note, input.requestedBy],
  );
  return rows[0]!;
}

/** Every request, newest first, with the offer's name: for platform admins. */
export async function listDistributorRequests(db: Db) {
  const { rows } = await db.query(
    `SELECT r.id::int, r.merchant_id AS "merchantId", m.name AS "merchantName", m.timezone AS "merchantTimezone", r.offer_id::int AS "offerId", o.name AS "offerName", r.distributor_name AS "distributorName",
            r.contact, r.note, r.requested_by AS "requestedBy", r.created_at AS "createdAt",
            r.status, r.status_note AS "statusNote", r.status_changed_by AS "statusChangedBy", r.status_changed_at AS "statusChangedAt"
       FROM distributor_requests r JOIN merchants m ON m.id = r.merchant_id LEFT JOIN offers o ON o.id = r.offer_id ORDER BY r.id DESC`,
  );
  return rows;
}
