import { withTransaction, type Db, type Pool } from '../db/pool.js';
import type { Sale } from '../rules/sale.js';
import type { Catalog } from './catalog.js';
import { frequentBuyerLines, type Punch } from './punches.js';
import { redeem } from './redeem.js';
import { noteClaimsPastReach, transitionClaims } from './store/claims.js';
import { voidAcceptedRedemptions, type RedemptionRecord } from './store/redemptions.js';
import { admitAndPunch, punchedCustomer, recordSaleOutcome } from './store/saleGate.js';

export interface FrequentBuyerOutcome {
  outcome: 'applied' | 'stale or duplicate' | 'no offers';
  punches?: Array<{ lineId: string; offerId: number; units: number }>;
  redemptions?: Array<RedemptionRecord & { lineId: string; offerId: number }>;
  voidedRedemptions?: number[];
  customerId?: string | null;
}

const STALE: FrequentBuyerOutcome = { outcome: 'stale or duplicate' };

export interface FrequentBuyerInput {
  merchantId: string;
  sale: Sale;
  catalog: Catalog;
}

/**
 * The frequent-buyer side of one sale version, exactly once: a gate row per sale admits each version
 * once and only forward (a stale or repeated delivery changes nothing), and in the same statement the
 * sale's punches become what this version counts (replaced, never added, so a void or a re-delivery
 * never counts twice). A sale that redeems, or is voided, goes on in one transaction: its redemptions
 * are recorded once per line, or voided with their unpaid claims. What it did is kept on the gate row
 * for the sale view.
 */
export async function applyFrequentBuyer(pool: Pool, input: FrequentBuyerInput): Promise<FrequentBuyerOutcome> {
  const [outcome] = await applyFrequentBuyers(pool, [input]);
  if (outcome instanceof Error) throw outcome;
  return outcome!;
}

/**
 * The same for many sales (the sales worker's batch): every sale that only punches (most of them) is
 * admitted and counted by one statement for all, with a gate per sale; a sale that redeems or is voided,
 * or one with another version in the batch, goes alone in its own transaction, in version order. One
 * outcome, or the error of that sale, per input.
 */
export async function applyFrequentBuyers(pool: Pool, inputs: FrequentBuyerInput[]): Promise<Array<FrequentBuyerOutcome | Error>> {
  const results: Array<FrequentBuyerOutcome | Error> = inputs.map(() => NO_OFFERS);
  const perSale = new Map<string, number>();
  for (const { merchantId, sale } of inputs) perSale.set(`${merchantId}\u0000${sale.saleId}`, (perSale.get(`${merchantId}\u0000${sale.saleId}`) ?? 0) + 1);
  const together: Array<{ i: number; planned: Planned }> = [];
  const alone: Array<{ i: number; planned: Planned }> = [];
  for (const [i, input] of inputs.entries()) {
    if (!input.catalog.offers.length) continue;
    try {
      const planned = await plan(pool, input);
      const single = perSale.get(`${input.merchantId}\u0000${input.sale.saleId}`) === 1;
      (single && input.sale.state === 'completed' && !planned.redemptions.length ? together : alone).push({ i, planned });
    } catch (error) {
      results[i] = error instanceof Error ? error : new Error(String(error));
    }
  }
  if (together.length) {
    try {
      const admitted = await admitAndPunchPlanned(
        pool,
        together.map((t) => t.planned),
      );
      together.forEach((t, k) => (results[t.i] = admitted[k] ? t.planned.outcome : STALE));
    } catch {
      // One sale PostgreSQL refuses fails alone: the others go one by one.
      alone.push(...together);
    }
  }
  alone.sort((a, b) => inputs[a.i]!.sale.version - inputs[b.i]!.sale.version);
  for (const { i, planned } of alone) {
    results[i] = await applyAlone(pool, planned).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
  }
  return results;
}

const NO_OFFERS: FrequentBuyerOutcome = { outcome: 'no offers' };

interface Planned {
  input: FrequentBuyerInput;
  customerId: string | null;
  punches: Punch[];
  redemptions: ReturnType<typeof frequentBuyerLines>['redemptions'];
  outcome: FrequentBuyerOutcome;
}

async function plan(db: Db, input: FrequentBuyerInput): Promise<Planned> {
  const { merchantId, sale, catalog } = input;
  const { punches, redemptions } = frequentBuyerLines(sale, catalog);
  const customerId = sale.customer?.id ?? (await originalCustomer(db, merchantId, sale));
  const counted = customerId === null ? [] : punches;
  const outcome: FrequentBuyerOutcome = {
    outcome: 'applied',
    customerId,
    punches: counted.map(({ lineId, offerId, units }) => ({ lineId, offerId, units })),
    redemptions: [],
    voidedRedemptions: [],
  };
  return { input, customerId, punches: counted, redemptions, outcome };
}

async function applyAlone(pool: Pool, planned: Planned): Promise<FrequentBuyerOutcome> {
  const { input, redemptions, outcome } = planned;
  const { merchantId, sale, catalog } = input;
  // Most sales punch and redeem nothing: one statement, atomic on its own.
  if (sale.state === 'completed' && !redemptions.length) return (await admitAndPunchPlanned(pool, [planned]))[0] ? outcome : STALE;
  return withTransaction(pool, async (db) => {
    if (!(await admitAndPunchPlanned(db, [planned]))[0]) return STALE;
    if (sale.state !== 'completed') outcome.voidedRedemptions = await voidRedemptionsOf(db, merchantId, sale.saleId);
    for (const candidate of redemptions) {
      const offer = catalog.offers.find((o) => o.id === candidate.offerId)!;
      const record = await redeem(db, {
        merchantId,
        sourceKey: `sale:${sale.saleId}:${candidate.key}`,
        saleId: sale.saleId,
        lineId: candidate.lineId,
        customerId: sale.customer?.id ?? null,
        offer,
        shopId: sale.shopId,
        freeItemPrice: candidate.freeItemPrice,
        actor: 'sale stream',
      });
      outcome.redemptions!.push({ ...record, lineId: candidate.lineId, offerId: candidate.offerId });
    }
    await recordSaleOutcome(db, merchantId, sale.saleId, { version: sale.version, state: sale.state, ...outcome });
    return outcome;
  });
}

/** Admits each version through its sale's gate and counts its punches, in one statement for all (see the store). */
async function admitAndPunchPlanned(db: Db, sales: Planned[]): Promise<boolean[]> {
  return admitAndPunch(
    db,
    sales.map(({ input: { merchantId, sale }, customerId, punches, outcome }) => ({
      merchantId,
      saleId: sale.saleId,
      version: sale.version,
      outcome: { version: sale.version, state: sale.state, ...outcome },
      punches: punches.map(({ lineId, offerId, units, unitPrice }) => ({ lineId, offerId, units, unitPrice })),
      customerId,
      shopId: sale.shopId,
      soldAt: sale.completedAt,
    })),
  );
}

/** A return without a customer on it takes back from the card of the sale it returns. */
async function originalCustomer(db: Db, merchantId: string, sale: Sale): Promise<string | null> {
  const refunded = sale.lines.map((l) => l.refundsLineId).filter((id): id is string => id !== undefined);
  if (!sale.returnFor && !refunded.length) return null;
  return punchedCustomer(db, merchantId, sale.returnFor ?? null, refunded);
}

/** A voided sale gives its free items back: its redemptions are voided and their unpaid claims cancelled. */
async function voidRedemptionsOf(db: Db, merchantId: string, saleId: string): Promise<number[]> {
  const voided = await voidAcceptedRedemptions(db, merchantId, saleId);
  const claimIds = voided.map((r) => r.claimId).filter((id): id is number => id !== null);
  if (claimIds.length) {
    await transitionClaims(db, claimIds, ['held', 'new', 'denied', 'resubmitted'], {
      actor: 'sale stream',
      to: 'cancelled',
      note: `sale ${saleId} was voided`,
    });
    // A claim already batched or credited stays: the distributor has it; the history says why it is wrong.
    await noteClaimsPastReach(db, claimIds, 'sale stream', `sale ${saleId} was voided after this claim reached the distributor`);
  }
  return voided.map((r) => r.id);
}
