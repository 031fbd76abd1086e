import { whyNotCauses } from '../cause.js';
import type { Thresholds } from './thresholds.js';

export const alertKinds = [
  'EARNING_RATE_DROP',
  'CAUSE_SHARE_JUMP',
  'ATTACH_RATE_LOW',
  'WEBHOOKS_STOPPED',
  'POLLING_STALLED',
  'REAUTH_NEEDED',
  'FAILED_EVENTS',
  'ENDPOINT_DISABLED',
] as const;
export type AlertKind = (typeof alertKinds)[number];

/** A condition that holds now: at most one unresolved alert per merchant, kind and subject. */
export interface Condition {
  kind: AlertKind;
  subject: string;
  evidence: Record<string, unknown>;
}

export interface DayFigures {
  day: string;
  completed: number;
  earning: number;
  causes: Record<string, number>;
}

/** What the detector reads of one merchant (src/insights/store/detectorFigures.ts). */
export interface MerchantFigures {
  series: 'x' | 'r';
  /** The last full local day. */
  day: string;
  /** Per local day: `day` and the same weekday of the four weeks before (the days it compares). */
  days: DayFigures[];
  /** Last 7 days, per register and cashier, with the name Lightspeed gave it (null when the reference cache has none). */
  attach: Array<{ dimension: 'register' | 'cashier'; id: string; name?: string | null; sales: number; withCustomer: number }>;
  /** The merchant's outbound events endpoints the delivery turned off for failing (src/events/drainEndpoint.ts). */
  disabledEndpoints: Array<{ id: number; url: string; description: string; disabledAt: string; failingSince: string | null }>;
  /** Completed sales of the last two local days by how they were first seen. */
  intake: { webhook: number; poll: number };
  ops: { needsReauth: boolean; reauthReason: string | null; polls: boolean; lastPollSuccessAt: string | null; failedEvents: number };
  /** Rules versions saved in the last 8 days, newest first. */
  rulesChanges: Array<{ version: number; createdAt: string; createdBy: string }>;
}

const DAY = 86_400_000;
const minus = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) - n * DAY).toISOString().slice(0, 10);
const round = (x: number) => Math.round(x * 1000) / 1000;

/** The conditions that hold for one merchant (pure). */
export function detect(f: MerchantFigures, t: Thresholds, now: Date): Condition[] {
  const out: Condition[] = [];
  const byDay = new Map(f.days.map((d) => [d.day, d]));
  const today = byDay.get(f.day);
  // Same weekday of the four weeks before.
  const baseline = [7, 14, 21, 28].map((n) => byDay.get(minus(f.day, n))).filter((d): d is DayFigures => d !== undefined);
  const baseCompleted = baseline.reduce((n, d) => n + d.completed, 0);
  if (today && today.completed >= t.minSales && baseCompleted >= t.minSales) {
    const rate = today.earning / today.completed;
    const baseRate = baseline.reduce((n, d) => n + d.earning, 0) / baseCompleted;
    if (rate < baseRate - t.earningDrop) {
      out.push({
        kind: 'EARNING_RATE_DROP',
        subject: '',
        evidence: { day: f.day, rate: round(rate), baseline: round(baseRate), sales: today.completed, baselineSales: baseCompleted },
      });
    }
    for (const cause of whyNotCauses) {
      const count = today.causes[cause] ?? 0;
      if (!count) continue;
      const share = count / today.completed;
      const baseShare = baseline.reduce((n, d) => n + (d.causes[cause] ?? 0), 0) / baseCompleted;
      if (share >= baseShare + t.causeJump) {
        const rules = f.rulesChanges[0];
        out.push({
          kind: 'CAUSE_SHARE_JUMP',
          subject: cause,
          evidence: {
            day: f.day,
            cause,
            sales: count,
            share: round(share),
            baseline: round(baseShare),
            ...(rules ? { rulesVersion: rules.version, rulesSavedAt: rules.createdAt, rulesSavedBy: rules.createdBy } : {}),
          },
        });
      }
    }
  }
  for (const a of f.attach) {
    if (a.id === '' || a.sales < t.minSales) continue;
    const rate = a.withCustomer / a.sales;
    if (rate < t.attachBelow) {
      out.push({
        kind: 'ATTACH_RATE_LOW',
        subject: `${a.dimension}:${a.id}`,
        evidence: {
          dimension: a.dimension,
          id: a.id,
          // Lightspeed's name, so the message and the alert's outbound event say "Front counter", not an id.
          name: a.name ?? null,
          sales: a.sales,
          withCustomer: a.withCustomer,
          rate: round(rate),
          threshold: t.attachBelow,
          days: 7,
        },
      });
    }
  }
  if (f.series === 'x' && f.intake.poll >= t.pollOnlySales && f.intake.webhook === 0) {
    out.push({ kind: 'WEBHOOKS_STOPPED', subject: '', evidence: { pollFound: f.intake.poll, webhook: 0, days: 2 } });
  }
  if (f.ops.needsReauth) out.push({ kind: 'REAUTH_NEEDED', subject: '', evidence: { reason: f.ops.reauthReason } });
  if (f.ops.polls && !f.ops.needsReauth) {
    const last = f.ops.lastPollSuccessAt ? Date.parse(f.ops.lastPollSuccessAt) : null;
    if (last === null || now.getTime() - last > t.pollStalledHours * 3_600_000) {
      out.push({ kind: 'POLLING_STALLED', subject: '', evidence: { lastSuccessAt: f.ops.lastPollSuccessAt, hours: t.pollStalledHours } });
    }
  }
  if (f.ops.failedEvents >= t.failedEvents)
    out.push({ kind: 'FAILED_EVENTS', subject: '', evidence: { failed: f.ops.failedEvents, threshold: t.failedEvents } });
  for (const e of f.disabledEndpoints) {
    out.push({
      kind: 'ENDPOINT_DISABLED',
      subject: `endpoint:${e.id}`,
      // The host only: an endpoint's URL may carry a token in its path or query, and the evidence is shown and sent.
      evidence: { endpointId: e.id, host: hostOf(e.url), description: e.description, disabledAt: e.disabledAt, failingSince: e.failingSince },
    });
  }
  return out;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '';
  }
}
