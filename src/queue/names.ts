export const QUEUE = {
  sales: 'sales',
  release: 'release',
  poll: 'poll',
  maintenance: 'maintenance',
} as const;

export type QueueName = (typeof QUEUE)[keyof typeof QUEUE];
