export { evaluate, isRefundLine } from './evaluate.js';
export { evaluationContextSchema, type EvaluationContext, type EvaluationContextInput } from './evaluationContext.js';
export { decisionSchema, type Decision, type DecisionStatus, type LineBreakdown } from './decision.js';
export { noteDecision } from './notes.js';
export { reasonCodes, type Reason, type ReasonCode } from './reasons.js';
export { defaultRules, rulesSchema, type Rules, type RulesDocument, type RulesInput } from './rules.js';
export { saleSchema, paymentKinds, type PaymentKind, type Sale, type SaleLine, type Customer } from './sale.js';
