import type { ScriptCall } from '../../redis/lua-script.ts';
import type { NewLogEvent } from '../../types/log-types.ts';
import { actionCode, encodeEvent, statusCode } from './log-codec.ts';
import { indexKeysOf, type LogKeys, userFingerprint } from './log-keys.ts';

/**
 * The keys and arguments `append_log` (log-append.lua) takes to append `events`, all of one app: the
 * app's events stream first (a Redis Cluster client routes the call by it), then each index stream the
 * events are listed in, once. Throws when the events belong to several apps.
 */
export function appendCall(keys: LogKeys, events: NewLogEvent[]): ScriptCall {
  const [first] = events;
  if (!first) return { keys: [], args: [keys.channel] };
  if (events.some((event) => event.appId !== first.appId))
    throw new Error('provisioning log: the events of one script call must belong to one app');
  const app = keys.app(first.appId);
  const callKeys = [app.events];
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
  for (const event of events) {
    const [, userId, field, rest] = encodeEvent(event);
    args.push(
      ...indexKeysOf(app, event).map(position),
      actionCode(event.action) * 10 + statusCode(event.status),
      userFingerprint(event.userId),
      userId,
      field,
      rest,
    );
  }
  return { keys: callKeys, args };
}
