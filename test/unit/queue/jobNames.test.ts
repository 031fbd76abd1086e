import { describe, expect, it } from 'vitest';
import { isReevaluateJob, reevaluateJobName } from '../../../src/queue/jobs.js';
import { saleJobName } from '../../../src/queue/enqueue.js';

describe('job names on the queue dashboard', () => {
  it('a re-evaluation names its merchant, sale and receipt, like a sale job', () => {
    expect(reevaluateJobName('acme', 'sale-1', '1042')).toBe('reevaluate acme sale-1 #1042');
    expect(reevaluateJobName('acme', 'sale-1', null)).toBe('reevaluate acme sale-1');
    expect(reevaluateJobName('acme', 'x'.repeat(500), null)).toHaveLength(200);
  });

  it('the worker still knows a re-evaluation queued under the old bare name, and never takes a sale job for one', () => {
    expect(isReevaluateJob('reevaluate')).toBe(true);
    expect(isReevaluateJob(reevaluateJobName('acme', 'sale-1', '1042'))).toBe(true);
    expect(isReevaluateJob(saleJobName({ eventId: 1, merchantId: 'reevaluate', saleId: 's' }))).toBe(false);
    expect(isReevaluateJob('reevaluated')).toBe(false);
  });
});
