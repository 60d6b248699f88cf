import type { ScriptCall } from '../../redis/lua-script.ts';
import type { NewLogEvent } from '../../types/log-types.ts';
import { actionCode, encodeEntry, statusCode } from './log-codec.ts';
import { indexKeysOf, type LogKeys, userFingerprint } from './log-keys.ts';

/** `append_log`'s call, and how many of its arguments (after the channel) each step's events took, in order. */
export interface AppendCall extends ScriptCall {
  stepArgs: number[];
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
  const positions = new Map<string, number>();
  const position = (key: string): number => {
    let at = positions.get(key);
    if (at === undefined) {
      at = callKeys.push(key);
      positions.set(key, at);
    }
    return at;
  };
  const args: (string | number)[] = [keys.channel];
  const stepArgs = steps.map((events) => {
    const before = args.length;
    for (const entry of entriesOf(events)) {
      const [, userId, , rest] = encodeEntry(entry);
      const shape = [entry.length];
      for (const event of entry) {
        const [, status, action] = indexKeysOf(app, event);
        shape.push(
          position(status),
          position(action),
          actionCode(event.action) * 10 + statusCode(event.status),
        );
      }
      args.push(shape.join(' '), position(app.byUser(userId)), userFingerprint(userId), userId, rest);
    }
    return args.length - before;
  });
  return { keys: callKeys, args, stepArgs };
}
