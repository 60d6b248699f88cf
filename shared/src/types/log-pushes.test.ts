import { describe, expect, it } from 'vitest';
import { countOutcomes, groupPushes } from './log-pushes.ts';
import type { LogEvent } from './log-types.ts';

const event = (id: number, taskId: string, overrides: Partial<LogEvent>): LogEvent => ({
  id: `${id}-0`,
  at: new Date(Date.UTC(2026, 0, 31, 12, 0, id)).toISOString(),
  appId: 'app-1',
  userId: `user-${taskId}`,
  taskId,
  action: 'create',
  status: 'queued',
  message: `event ${id}`,
  ...overrides,
});

// Newest first, as the log answers: task a was queued, looked up, created; task b is still retrying.
const page: LogEvent[] = [
  event(9, 'b', {
    status: 'retrying',
    attempt: 1,
    request: { method: 'POST', url: '/Users' },
    durationMs: 500,
  }),
  event(8, 'a', { status: 'succeeded', attempt: 1, message: 'Pushed to the target (create).' }),
  event(7, 'a', {
    status: 'succeeded',
    attempt: 1,
    request: { method: 'POST', url: '/Users' },
    durationMs: 40,
  }),
  event(6, 'b', { status: 'queued' }),
  event(5, 'a', {
    status: 'succeeded',
    attempt: 1,
    request: { method: 'GET', url: '/Users?filter=' },
    durationMs: 1000,
  }),
  event(1, 'a', { status: 'queued' }),
];

describe('groupPushes', () => {
  it('makes one push per task, newest first, with its steps oldest first', () => {
    const pushes = groupPushes(page);
    expect(pushes.map((push) => push.taskId)).toEqual(['b', 'a']);
    const [b, a] = pushes;
    expect(a?.steps.map((step) => step.id)).toEqual(['1-0', '5-0', '7-0', '8-0']);
    expect(a).toMatchObject({
      outcome: 'succeeded',
      attempts: 1,
      write: 'POST',
      message: 'Pushed to the target (create).',
    });
    // From the start of the first request (at 5 s, 1 s long) to the outcome at 8 s.
    expect(a?.durationMs).toBe(4000);
    expect(b).toMatchObject({ outcome: 'retrying', attempts: 1, write: 'POST', durationMs: 500 });
  });

  it('has no duration before the first try', () => {
    const [waiting] = groupPushes([event(1, 'c', { status: 'pending_approval' })]);
    expect(waiting).toMatchObject({ outcome: 'pending_approval', attempts: 0, durationMs: null });
    expect(waiting?.write).toBeUndefined();
  });
});

describe('countOutcomes', () => {
  it('counts pushes by where they stand', () => {
    expect(countOutcomes(groupPushes(page))).toEqual({ succeeded: 1, retrying: 1 });
  });
});
