import type { ScriptCall } from '../../redis/lua-script.ts';
import type { NewLogEvent } from '../../types/log-types.ts';
import { actionCode, encodeEntry, statusCode } from './log-codec.ts';
import { indexKeysOf, type LogKeys, userFingerprint } from './log-keys.ts';

/**
 * `append_log`'s call, and how many of its arguments (after the channel) each step's events took, in order.
 * The arguments end with each index stream's entry for the whole call, which the script writes as they are
 * when it appends every step (see log-append.lua).
 */
export interface AppendCall extends ScriptCall {
  stepArgs: number[];
}

const twoDigits = (code: number): string => String(code).padStart(2, '0');

/**
 * One index stream's entry for a call, built as log-append.lua's `list` builds it: `offset:value` per
 * event listed there, an event at the offset after the last one continuing its run (`,value`, or `,code`
 * when it has the last one's fingerprint). Built here, where strings cost far less than in Redis's Lua.
 */
class IndexEntry {
  text = '';
  private last = -2;
  private fingerprint = -1;

  list(offset: number, code: number, fingerprint: number): void {
    const next = this.last === offset - 1;
    if (next && fingerprint === this.fingerprint) this.text += `,${code}`;
    else if (next && fingerprint > 0) this.text += `,${fingerprint}${twoDigits(code)}`;
    else {
      const value = fingerprint > 0 ? `${fingerprint}${twoDigits(code)}` : String(code);
      this.text += `${this.text === '' ? '' : ' '}${offset}:${value}`;
    }
    this.last = offset;
    this.fingerprint = fingerprint;
  }
}

/** A step's events cut into runs of one user each: the events of one stream entry. */
function entriesOf(events: NewLogEvent[]): NewLogEvent[][] {
  const entries: NewLogEvent[][] = [];
  for (const event of events) {
    const last = entries.at(-1);
    if (last && (last[0] as NewLogEvent).userId === event.userId) last.push(event);
    else entries.push([event]);
  }
  return entries;
}

/**
 * The keys and arguments `append_log` (log-append.lua) takes to append `steps`, the events of one app
 * that each atomic step writes (a script leaves out the arguments of a step it refuses): the app's events
 * stream first (a Redis Cluster client routes the call by it), its event count, then each index stream
 * the events are listed in, once. Each step's events of one user go in one stream entry. Throws when the
 * events belong to several apps.
 */
export function appendCall(keys: LogKeys, steps: NewLogEvent[][]): AppendCall {
  const first = steps.find((events) => events.length > 0)?.[0];
  if (!first) return { keys: [], args: [keys.channel], stepArgs: steps.map(() => 0) };
  if (steps.some((events) => events.some((event) => event.appId !== first.appId)))
    throw new Error('provisioning log: the events of one script call must belong to one app');
  const app = keys.app(first.appId);
  const callKeys = [app.events, app.count];
  // Each index stream's position in the keys (from 3, as Lua counts) and its entry for the call.
  const indexes = new Map<string, { at: number; entry: IndexEntry }>();
  const index = (key: string) => {
    let found = indexes.get(key);
    if (!found) {
      found = { at: callKeys.push(key), entry: new IndexEntry() };
      indexes.set(key, found);
    }
    return found;
  };
  const args: (string | number)[] = [keys.channel];
  let offset = 0;
  const stepArgs = steps.map((events) => {
    const before = args.length;
    for (const entry of entriesOf(events)) {
      const [, userId, , rest] = encodeEntry(entry);
      const fingerprint = userFingerprint(userId);
      const bucket = index(app.byUser(userId));
      const shape = [entry.length];
      for (const event of entry) {
        const [, statusKey, actionKey] = indexKeysOf(app, event);
        const status = index(statusKey);
        const action = index(actionKey);
        const code = actionCode(event.action) * 10 + statusCode(event.status);
        shape.push(status.at, action.at, code);
        bucket.entry.list(offset, code, fingerprint);
        status.entry.list(offset, code, 0);
        action.entry.list(offset, code, 0);
        offset += 1;
      }
      args.push(shape.join(' '), bucket.at, fingerprint, userId, rest);
    }
    return args.length - before;
  });
  for (const { entry } of indexes.values()) args.push(entry.text);
  return { keys: callKeys, args, stepArgs };
}
