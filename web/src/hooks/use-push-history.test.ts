import { describe, expect, it } from 'vitest';
import type { LogEvent } from '../api/types.ts';
import { bucketByMinute } from './use-push-history.ts';

const at = (iso: string): LogEvent => ({
  id: iso,
  at: iso,
  appId: 'a',
  userId: 'u',
  taskId: 't',
  action: 'create',
  status: 'succeeded',
  message: '',
});

describe('bucketByMinute', () => {
  const now = Date.parse('2026-11-28T10:30:30.000Z');

  it('gives 60 minutes ending with the current one, counting pushes and failures apart', () => {
    const buckets = bucketByMinute(
      [at('2026-11-28T10:30:01.000Z'), at('2026-11-28T10:30:59.000Z'), at('2026-11-28T09:31:00.000Z')],
      [at('2026-11-28T10:29:10.000Z')],
      now,
    );
    expect(buckets).toHaveLength(60);
    expect(buckets[0]?.minute).toBe(Date.parse('2026-11-28T09:31:00.000Z'));
    expect(buckets[0]?.pushes).toBe(1);
    expect(buckets[59]).toEqual({ minute: Date.parse('2026-11-28T10:30:00.000Z'), pushes: 2, failures: 0 });
    expect(buckets[58]?.failures).toBe(1);
  });

  it('counts a task outcome once, not each SCIM call logged beside it', () => {
    const call = { ...at('2026-11-28T10:30:02.000Z'), request: { method: 'POST', url: 'http://t/Users' } };
    const buckets = bucketByMinute([call, at('2026-11-28T10:30:03.000Z')], [], now);
    expect(buckets[59]?.pushes).toBe(1);
  });

  it('drops events older than the hour', () => {
    const buckets = bucketByMinute([at('2026-11-28T09:30:59.000Z')], [], now);
    expect(buckets.reduce((sum, b) => sum + b.pushes, 0)).toBe(0);
  });
});
