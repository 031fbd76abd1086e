import {
  evaluationContextSchema,
  rulesSchema,
  type EvaluationContext,
  type EvaluationContextInput,
  type Rules,
  type RulesInput,
  type Sale,
  type SaleLine,
} from '../../../src/rules/index.js';

export const line = (overrides: Partial<SaleLine> = {}): SaleLine => ({
  lineId: 'l1',
  productId: 'p1',
  categoryPath: [],
  quantity: 1,
  net: 1000,
  isGiftCard: false,
  ...overrides,
});

export const sale = (overrides: Partial<Sale> = {}): Sale => ({
  merchantId: 'acme',
  series: 'r',
  saleId: 's1',
  version: 1,
  state: 'completed',
  completedAt: '2026-11-20T15:04:10.000Z',
  shopId: '1',
  customer: { id: 'c1', segmentId: '2', email: 'a@example.com', exempt: false },
  lines: [line()],
  payments: [{ kind: 'card', amount: 1000 }],
  ...overrides,
});

export const rules = (input: RulesInput = {}, version = 4): Rules => ({ ...rulesSchema.parse(input), version });

export const context = (input: Partial<EvaluationContextInput> = {}): EvaluationContext =>
  evaluationContextSchema.parse({
    now: '2026-11-23T12:00:00.000Z',
    timezone: 'America/Montreal',
    merchantCreatedAt: '2026-01-01T12:00:00.000Z',
    names: { segments: { '1': 'Retail', '2': 'Loyalty member', '3': 'Wholesale' }, categories: { '10': 'Dog', '14': 'Food', '15': 'Prescription' } },
    ...input,
  });
