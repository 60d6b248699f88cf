import type { RedisClient } from '../../redis/connection.ts';
import { LuaScript, type ScriptCall } from '../../redis/lua-script.ts';

/**
 * Index entry codes pack what a page may filter on:
 * ((userFingerprint * 2^20 + appCode) * 100 + action * 10 + status), the fingerprint only in user buckets.
 */
const DECODE = `
local function unpack_code(v)
  local rest = math.floor(v / 100)
  return rest % 1048576, math.floor(v / 10) % 10, v % 10, math.floor(rest / 1048576)
end
`;

/** Appends events (see log-append.lua). KEYS as `append_log` takes them; ARGV: channel, then 4 per event. */
const APPEND = new LuaScript(
  new URL('./log-append.lua', import.meta.url),
  'return append_log(KEYS, ARGV, 1)',
);

/**
 * One page, newest first, from the shortest candidate index, checking the rest of the filter on
 * each entry's code and scanning at most \`budget\` entries (so a page's work is bounded).
 * A user filter is confirmed on the event itself (fingerprints may collide).
 * KEYS: events, appCodes, candidate index keys...
 * ARGV: low id ('-' or id), high id ('+', id or '(id'), limit, budget, appId or '', action or -1,
 *       status or -1, userId or '', user fingerprint or -1
 * Returns {nextPosition or '', id1, payload1, id2, payload2, ...}.
 */
const QUERY = `${DECODE}
local events, appCodes = KEYS[1], KEYS[2]
local low, high = ARGV[1], ARGV[2]
local limit, budget = tonumber(ARGV[3]), tonumber(ARGV[4])
local wantAction, wantStatus = tonumber(ARGV[6]), tonumber(ARGV[7])
local wantUser, wantFingerprint = ARGV[8], tonumber(ARGV[9])
local wantApp = -1
if ARGV[5] ~= '' then
  local code = redis.call('HGET', appCodes, ARGV[5])
  if not code then return {''} end
  wantApp = tonumber(code)
end
local index, shortest = KEYS[3], redis.call('XLEN', KEYS[3])
for k = 4, #KEYS do
  local len = redis.call('XLEN', KEYS[k])
  if len < shortest then index, shortest = KEYS[k], len end
end
local direct = index == events
local filtering = not direct and (wantApp >= 0 or wantAction >= 0 or wantStatus >= 0 or wantFingerprint >= 0)
local function matches(entry)
  if direct then return entry[2][2] end
  local app, action, status, fingerprint = unpack_code(tonumber(entry[2][2]))
  if (wantApp >= 0 and app ~= wantApp) or (wantAction >= 0 and action ~= wantAction)
    or (wantStatus >= 0 and status ~= wantStatus) or (wantFingerprint >= 0 and fingerprint ~= wantFingerprint) then
    return nil
  end
  local hit = redis.call('XRANGE', events, entry[1], entry[1])
  if not hit[1] then return nil end
  local payload = hit[1][2][2]
  if wantUser ~= '' and cjson.decode(payload)[2] ~= wantUser then return nil end
  return payload
end
local found, scanned, lastSeen, exhausted = {}, 0, nil, false
local chunk = 0
while #found <= limit do
  -- The first read assumes every entry matches; sparse matches double the read up to the budget.
  chunk = math.max(limit + 1 - #found, math.min(chunk * 2, 4096))
  if filtering then chunk = math.min(chunk, budget - scanned) end
  if chunk <= 0 then break end
  local entries = redis.call('XREVRANGE', index, high, low, 'COUNT', chunk)
  for _, entry in ipairs(entries) do
    scanned = scanned + 1
    local payload = matches(entry)
    if payload then
      found[#found + 1] = {entry[1], payload}
      if #found > limit then break end
    end
    lastSeen = entry[1]
  end
  if #entries < chunk then
    exhausted = true
    break
  end
  high = '(' .. entries[#entries][1]
end
local next = ''
if #found > limit then
  next = found[limit][1]
elseif not exhausted and lastSeen then
  next = lastSeen
end
local out = {next}
for i = 1, math.min(#found, limit) do
  out[#out + 1] = found[i][1]
  out[#out + 1] = found[i][2]
end
return out
`;

/**
 * Drops every entry older than \`minId\` from the events stream and the given index streams,
 * deleting index streams left empty. KEYS: events, index keys...  ARGV: minId. Returns events removed.
 */
const TRIM = `
local removed = redis.call('XTRIM', KEYS[1], 'MINID', '=', ARGV[1])
for k = 2, #KEYS do
  redis.call('XTRIM', KEYS[k], 'MINID', '=', ARGV[1])
  if redis.call('XLEN', KEYS[k]) == 0 then redis.call('DEL', KEYS[k]) end
end
return removed
`;

type ScriptArgs = [numKeys: number, ...keysAndArgs: (string | number)[]];
type ScriptMethod<R> = (...args: ScriptArgs) => Promise<R>;

const SCRIPTS = { provisimLogQuery: QUERY, provisimLogTrim: TRIM } as const;

export interface LogScripts {
  append(keys: string[], args: (string | number)[]): Promise<string[]>;
  /** Many appends in one round trip, each atomic. */
  appendMany(calls: ScriptCall[]): Promise<string[][]>;
  query(keys: string[], args: (string | number)[]): Promise<string[]>;
  trim(keys: string[], minId: string): Promise<number>;
}

/** Registers the scripts on the connection (EVALSHA, loaded on first use) once. */
export function logScripts(redis: RedisClient): LogScripts {
  for (const [name, lua] of Object.entries(SCRIPTS)) {
    if (!(name in redis)) redis.defineCommand(name, { lua });
  }
  const method = <R>(target: object, name: keyof typeof SCRIPTS) =>
    (target as Record<string, ScriptMethod<R>>)[name] as ScriptMethod<R>;
  const call = <R>(name: keyof typeof SCRIPTS, keys: string[], args: (string | number)[]) =>
    method<R>(redis, name).call(redis, keys.length, ...keys, ...args);
  return {
    append: (keys, args) => APPEND.run<string[]>(redis, { keys, args }),
    appendMany: (calls) => APPEND.runMany<string[]>(redis, calls),
    query: (keys, args) => call<string[]>('provisimLogQuery', keys, args),
    trim: (keys, minId) => call<number>('provisimLogTrim', keys, [minId]),
  };
}
