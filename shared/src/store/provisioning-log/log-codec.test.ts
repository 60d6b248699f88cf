import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LOG_STATUSES, type NewLogEvent, TASK_ACTIONS } from '../../types/log-types.ts';
import { decodeEntryEvents, encodeEntry, entryEventCount } from './log-codec.ts';

const openings = [
  'Awaiting admin approval: ',
  'Approved by ',
  'Queued for push: ',
  'Pushed to the target (',
  '',
];

/** Messages as the lifecycle writes them (an opening, then text another message may end with too) and any text. */
const message = fc.oneof(
  fc
    .tuple(fc.constantFrom(...openings), fc.constantFrom('create ada@example.test.', 'x', ''), fc.string())
    .map(([opening, tail, more]) => `${opening}${more}${tail}`),
  fc.string(),
);

const event = (userId: string, exchange: boolean) =>
  fc
    .record({
      taskId: fc.constantFrom('t-1', 't-2', '0'),
      action: fc.constantFrom(...TASK_ACTIONS),
      status: fc.constantFrom(...LOG_STATUSES),
      message,
      attempt: fc.option(fc.nat(9), { nil: undefined }),
      actor: fc.option(fc.constantFrom('admin', 'ops'), { nil: undefined }),
    })
    .map((fields): NewLogEvent => {
      const out: NewLogEvent = { appId: 'app', userId, ...fields };
      if (out.attempt === undefined) delete out.attempt;
      if (out.actor === undefined) delete out.actor;
      if (exchange) out.request = { method: 'GET', url: 'http://t/Users' };
      return out;
    });

describe('log entries', () => {
  it('read back the events of one user they were written from, in order, at consecutive ids', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.boolean().chain((exchange) => event('usér 1', exchange)),
          { minLength: 1, maxLength: 5 },
        ),
        (events) => {
          const fields = encodeEntry(events);
          expect(entryEventCount(fields)).toBe(events.length);
          const read = decodeEntryEvents('1700000000000-7', 'app', fields);
          expect(read.map(({ id: _id, at: _at, ...rest }) => rest)).toEqual(events);
          expect(read.map((e) => e.id)).toEqual(
            events.map((_, i) => `1700000000000-${String(7 + i).padStart(6, '0')}-app`),
          );
        },
      ),
    );
  });

  it("store a lifecycle message's opening by its position and an end the previous message has by its length", () => {
    const approval: NewLogEvent[] = ['approved', 'queued'].map((status, i) => ({
      appId: 'app',
      userId: 'u',
      taskId: 't-1',
      action: 'create',
      status: status as NewLogEvent['status'],
      message:
        i === 0 ? 'Approved by admin: create ada@example.test.' : 'Queued for push: create ada@example.test.',
    }));
    expect(encodeEntry(approval)[3]).toBe(
      '2j[["t-1",0,1,[1,"admin: create ada@example.test."]],[0,0,3,[2,24]]]',
    );
    const { actor: _actor, ...pending } = approval[0] as NewLogEvent;
    // The longest opening: the one with the action.
    expect(
      encodeEntry([
        {
          ...pending,
          status: 'pending_approval',
          message: 'Awaiting admin approval: create ada@example.test.',
        },
      ])[3],
    ).toBe('1j["t-1",0,0,[8,"ada@example.test."]]');
  });
});
