import { describe, expect, it } from 'vitest';
import { useCommitter } from '../../../test/support/lifecycle-harness.ts';
import { OUTCOME_WINDOW } from '../store/push-outcomes.ts';
import { Transition } from './transition.ts';

describe("an app's outcome window", () => {
  const harness = useCommitter('outcome-window');

  it('answers a failure the last OUTCOME_WINDOW outcomes, newest first, and holds fewer than twice as many', async () => {
    const { redis, keys, committer } = harness();
    const outcome = (succeeded: boolean) =>
      new Transition(keys, 'app-1').recordOutcome('app-1', succeeded, OUTCOME_WINDOW);
    const pushes = 3 * OUTCOME_WINDOW + 7;
    const failed = (i: number) => i % 10 === 0;
    await committer.commitMany(Array.from({ length: pushes }, (_, i) => outcome(!failed(i))));

    const last = await committer.commit(outcome(false));

    const expected = ['0'];
    for (let i = pushes - 1; expected.length < OUTCOME_WINDOW; i--) expected.push(failed(i) ? '0' : '1');
    expect(last).toMatchObject({ ok: true, outcomeWindow: expected });
    expect(await redis.llen(keys.appOutcomes('app-1'))).toBeLessThan(2 * OUTCOME_WINDOW);
  });
});
