import { describe, expect, it } from 'vitest';
import { OutcomesBeingWritten } from './outcomes-being-written.ts';

/** A write the test settles when it wants. */
function write() {
  let settle!: (err?: Error) => void;
  const written = new Promise<void>((resolve, reject) => {
    settle = (err) => (err ? reject(err) : resolve());
  });
  return { written, settle };
}

describe('OutcomesBeingWritten', () => {
  it('goes on while writes are in flight, and past the bound waits for the oldest', async () => {
    const writes = new OutcomesBeingWritten(2);
    const [a, b, c] = [write(), write(), write()];
    await writes.add(a.written);
    await writes.add(b.written);
    let third = false;
    const adding = writes.add(c.written).then(() => {
      third = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(third).toBe(false);
    a.settle();
    await adding;
    expect(third).toBe(true);
    b.settle();
    c.settle();
    expect(await writes.failures()).toEqual([]);
  });

  it("throws the oldest write's error when waiting for it", async () => {
    const writes = new OutcomesBeingWritten(1);
    const [a, b] = [write(), write()];
    await writes.add(a.written);
    a.settle(new Error('Redis refused the finish'));
    await expect(writes.add(b.written)).rejects.toThrow('Redis refused the finish');
    b.settle();
    expect(await writes.failures()).toEqual([]);
  });

  it('gives back every failure once all have settled, none left unhandled meanwhile', async () => {
    const writes = new OutcomesBeingWritten(4);
    const [a, b, c] = [write(), write(), write()];
    await writes.add(a.written);
    writes.keep(b.written);
    await writes.add(c.written);
    // Rejected before anyone waits: an unhandled rejection here would fail the test run.
    a.settle(new Error('first'));
    c.settle(new Error('third'));
    await new Promise((resolve) => setTimeout(resolve, 10));
    const failures = writes.failures();
    b.settle();
    expect((await failures).map((err) => (err as Error).message)).toEqual(['first', 'third']);
  });
});
