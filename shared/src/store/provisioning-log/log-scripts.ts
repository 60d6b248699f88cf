import type { RedisClient } from '../../redis/connection.ts';
import { LuaScript, type ScriptCall } from '../../redis/lua-script.ts';

/** Appends one app's events (see log-append.lua). KEYS as `append_log` takes them; ARGV: channel, then 8 per event. */
const APPEND = new LuaScript(
  new URL('./log-append.lua', import.meta.url),
  'return append_log(KEYS, ARGV, 1)',
);

/**
 * One page of one app, newest first, from the shortest candidate index (the events stream when there is
 * none), checking the rest of the filter on each event's code and examining at most `budget` events (so
 * a page's work is bounded). An index entry lists a call's events (see log-append.lua) from the newest.
 * A user filter is confirmed on the event itself (fingerprints may collide, other indexes have none).
 * KEYS: the app's events stream, candidate index keys...
 * ARGV: low id ('-' or id), high id ('+', id or '(id'), limit, budget, action or -1, status or -1,
 *       userId or '', user fingerprint or -1
 * Returns {nextPosition or '', id1, fields1, id2, fields2, ...}, each fields the entry's field/value list.
 */
const QUERY = new LuaScript(`
local events = KEYS[1]
local low, high = ARGV[1], ARGV[2]
local limit, budget = tonumber(ARGV[3]), tonumber(ARGV[4])
local wantAction, wantStatus = tonumber(ARGV[5]), tonumber(ARGV[6])
local wantUser, wantFingerprint = ARGV[7], tonumber(ARGV[8])
local function split(id)
  local dash = string.find(id, '-', 1, true)
  return tonumber(string.sub(id, 1, dash - 1)), tonumber(string.sub(id, dash + 1))
end
-- An index entry may list events above the page's upper bound: those are passed over.
local capMs, capSeq, capOpen
if high ~= '+' then
  capOpen = string.sub(high, 1, 1) == '('
  capMs, capSeq = split(capOpen and string.sub(high, 2) or high)
end
local function under_cap(ms, seq)
  if not capMs or ms ~= capMs then return not capMs or ms < capMs end
  if capOpen then return seq < capSeq end
  return seq <= capSeq
end
local index, shortest = KEYS[2], KEYS[2] and redis.call('XLEN', KEYS[2])
for k = 3, #KEYS do
  local len = redis.call('XLEN', KEYS[k])
  if len < shortest then index, shortest = KEYS[k], len end
end
-- An entry's user: its field 'u', or (an entry stored before compaction) the second item of its JSON 'e'.
local function user_of(fields)
  if fields[1] == 'u' then return fields[2] end
  return cjson.decode(fields[2])[2]
end
-- Only user bucket entries carry a fingerprint; the user bucket is the first candidate of a user filter.
local checkFingerprint = wantFingerprint >= 0 and index == KEYS[2]
local found, scanned, lastSeen, exhausted = {}, 0, nil, false
-- Examines one event of an index entry; answers false once the page is full or the budget is spent.
local function examine(id, value)
  scanned = scanned + 1
  lastSeen = id
  local action, status, fingerprint = math.floor(value / 10) % 10, value % 10, math.floor(value / 100)
  if (wantAction < 0 or action == wantAction) and (wantStatus < 0 or status == wantStatus)
    and (not checkFingerprint or fingerprint == wantFingerprint) then
    local hit = redis.call('XRANGE', events, id, id)
    local fields = hit[1] and hit[1][2]
    if fields and (wantUser == '' or user_of(fields) == wantUser) then
      found[#found + 1] = {id, fields}
    end
  end
  return #found <= limit and scanned < budget
end
local chunk = 0
local reading = true
while reading do
  -- The first read assumes every entry matches; sparse matches double the read up to 4096.
  chunk = math.max(limit + 1 - #found, math.min(chunk * 2, 4096))
  if index then
    local entries = redis.call('XREVRANGE', index, high, low, 'COUNT', chunk)
    for _, entry in ipairs(entries) do
      local ms, seq = split(entry[1])
      local listed = {}
      for offset, value in string.gmatch(entry[2][2], '(%d+):(%d+)') do
        listed[#listed + 1] = {tonumber(offset), tonumber(value)}
      end
      for i = #listed, 1, -1 do
        local eventSeq = seq + listed[i][1]
        if under_cap(ms, eventSeq) and not examine(ms .. '-' .. string.format('%d', eventSeq), listed[i][2]) then
          reading = false
          break
        end
      end
      if not reading then break end
    end
    if reading and #entries < chunk then exhausted, reading = true, false end
    if reading then high = '(' .. entries[#entries][1] end
  else
    local entries = redis.call('XREVRANGE', events, high, low, 'COUNT', chunk)
    for _, entry in ipairs(entries) do
      found[#found + 1] = {entry[1], entry[2]}
      if #found > limit then break end
    end
    if #found > limit then reading = false
    elseif #entries < chunk then exhausted, reading = true, false
    else high = '(' .. entries[#entries][1] end
  end
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
`);

/**
 * Drops every event older than \`minId\` from an app's events stream, and from its given index streams
 * every entry whose events are all gone (an entry's events share its millisecond), deleting index
 * streams left empty. KEYS: events, index keys...  ARGV: minId. Returns events removed.
 */
const TRIM = new LuaScript(`
local removed = redis.call('XTRIM', KEYS[1], 'MINID', '=', ARGV[1])
local oldest = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', 1)[1]
local indexMin = ARGV[1]
if oldest then indexMin = string.sub(oldest[1], 1, string.find(oldest[1], '-', 1, true)) .. '0' end
for k = 2, #KEYS do
  redis.call('XTRIM', KEYS[k], 'MINID', '=', indexMin)
  if redis.call('XLEN', KEYS[k]) == 0 then redis.call('DEL', KEYS[k]) end
end
return removed
`);

export interface LogScripts {
  /** Appends, each call atomic, in one round trip. */
  append(calls: ScriptCall[]): Promise<string[][]>;
  /** Pages of several apps, one script call each, in one round trip. */
  query(calls: ScriptCall[]): Promise<(string | string[])[][]>;
  trim(keys: string[], minId: string): Promise<number>;
}

export function logScripts(redis: RedisClient): LogScripts {
  return {
    append: (calls) => APPEND.runMany<string[]>(redis, calls),
    query: (calls) => QUERY.runMany<(string | string[])[]>(redis, calls),
    trim: (keys, minId) => TRIM.run<number>(redis, { keys, args: [minId] }),
  };
}
