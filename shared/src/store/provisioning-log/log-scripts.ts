import type { RedisClient } from '../../redis/connection.ts';
import { LuaScript, type ScriptCall } from '../../redis/lua-script.ts';

/** Appends one app's events (see log-append.lua). KEYS and ARGV as `append_log` takes them. */
const APPEND = new LuaScript(
  new URL('./log-append.lua', import.meta.url),
  'return append_log(KEYS, ARGV, 1, true, true)',
);

/**
 * One page of one app, newest first, from the shortest candidate index (the events stream when there is
 * none), checking the rest of the filter on each event's code and examining at most `budget` events (so
 * a page's work is bounded). An index entry lists a call's events (see log-append.lua) from the newest.
 * A listed event is found in the events stream entry at or below its id that holds it (an entry holds
 * one or more events, see log-codec.ts). A user filter is confirmed on the entry itself (fingerprints may
 * collide, other indexes have none).
 * KEYS: the app's events stream, candidate index keys...
 * ARGV: low id ('-' or id), high id ('+', id or '(id'), limit, budget, action or -1, status or -1,
 *       userId or '', user fingerprint or -1
 * Returns {nextPosition or '', id1, offset1, fields1, id2, offset2, fields2, ...}: each event's id, its
 * position in its entry and the entry's field/value list (empty when it is the previous event's entry).
 */
const QUERY = new LuaScript(
  new URL('./log-entry.lua', import.meta.url),
  `
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
-- The entry holding the event (ms, seq): the last one found, or the stream's entry at or below it.
local held = nil
local function entry_of(ms, seq)
  if not (held and held.ms == ms and held.seq <= seq and seq < held.seq + held.size) then
    local hit = redis.call('XREVRANGE', events, ms .. '-' .. string.format('%d', seq), '-', 'COUNT', 1)[1]
    if not hit then return nil end
    local hitMs, hitSeq = split(hit[1])
    held = {ms = hitMs, seq = hitSeq, size = entry_size(hit[2]), fields = hit[2]}
    if not (hitMs == ms and hitSeq + held.size > seq) then return nil end
  end
  return held
end
-- Only user bucket entries carry a fingerprint; the user bucket is the first candidate of a user filter.
local checkFingerprint = wantFingerprint >= 0 and index == KEYS[2]
local found, scanned, lastSeen, exhausted = {}, 0, nil, false
-- Examines one event of an index entry; answers false once the page is full or the budget is spent.
local function examine(ms, seq, value)
  local id = ms .. '-' .. string.format('%d', seq)
  scanned = scanned + 1
  lastSeen = id
  local action, status, fingerprint = math.floor(value / 10) % 10, value % 10, math.floor(value / 100)
  if (wantAction < 0 or action == wantAction) and (wantStatus < 0 or status == wantStatus)
    and (not checkFingerprint or fingerprint == wantFingerprint) then
    local entry = entry_of(ms, seq)
    if entry and (wantUser == '' or user_of(entry.fields) == wantUser) then
      found[#found + 1] = {id, seq - entry.seq, entry.fields}
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
      -- Runs \`offset:value,value...\` (see log-append.lua); a value under 100 after the first of its run is
      -- a code with the previous value's fingerprint.
      local listed = {}
      for start, run in string.gmatch(entry[2][2], '(%d+):([%d,]+)') do
        local offset, fingerprint = tonumber(start), nil
        for item in string.gmatch(run, '%d+') do
          local value = tonumber(item)
          if fingerprint and value < 100 then value = fingerprint * 100 + value end
          listed[#listed + 1] = {offset, value}
          offset, fingerprint = offset + 1, math.floor(value / 100)
        end
      end
      for i = #listed, 1, -1 do
        local eventSeq = seq + listed[i][1]
        if under_cap(ms, eventSeq) and not examine(ms, eventSeq, listed[i][2]) then
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
    -- An entry's events, newest first; the upper bound may fall among them (not when it holds one).
    for _, entry in ipairs(entries) do
      local size = entry_size(entry[2])
      if size == 1 then
        found[#found + 1] = {entry[1], 0, entry[2]}
      else
        local ms, seq = split(entry[1])
        for offset = size - 1, 0, -1 do
          if under_cap(ms, seq + offset) then
            found[#found + 1] = {ms .. '-' .. string.format('%d', seq + offset), offset, entry[2]}
            if #found > limit then break end
          end
        end
      end
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
  out[#out + 1] = (i > 1 and found[i - 1][3] == found[i][3]) and {} or found[i][3]
end
return out
`,
);

/**
 * Drops every entry below `minId` from an app's events stream, takes their events off the app's event
 * count (when there is one; gone once it is 0), and from its given index streams drops every entry whose events are all
 * gone (an index entry's events share its millisecond), deleting index streams left empty.
 * KEYS: events, event count, index keys...  ARGV: minId. Returns events removed.
 */
const TRIM = new LuaScript(
  new URL('./log-entry.lua', import.meta.url),
  `
local removed = 0
for _, entry in ipairs(redis.call('XRANGE', KEYS[1], '-', '(' .. ARGV[1])) do
  removed = removed + entry_size(entry[2])
end
redis.call('XTRIM', KEYS[1], 'MINID', '=', ARGV[1])
if redis.call('EXISTS', KEYS[2]) == 1 and redis.call('DECRBY', KEYS[2], removed) <= 0 then
  redis.call('DEL', KEYS[2])
end
local oldest = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', 1)[1]
local indexMin = ARGV[1]
if oldest then indexMin = string.sub(oldest[1], 1, string.find(oldest[1], '-', 1, true)) .. '0' end
for k = 3, #KEYS do
  redis.call('XTRIM', KEYS[k], 'MINID', '=', indexMin)
  if redis.call('XLEN', KEYS[k]) == 0 then redis.call('DEL', KEYS[k]) end
end
return removed
`,
);

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
