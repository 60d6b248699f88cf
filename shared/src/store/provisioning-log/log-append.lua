-- Appends one app's log events in stream entries, each holding one or more events of one user (see
-- log-codec.ts). The call's events have consecutive ids (the first assigned by Redis, the rest its
-- sequence + 1, + 2...); an entry's id is its first event's, and the stream's last id is moved past the
-- call's last event, so the next call's ids follow. One index entry per index stream per call lists the
-- call's events there: its id is the call's first event id, its value `offset:code` per event (offset
-- from that id's sequence), the events at the offsets after it as runs: `offset:code,code,code`. The app's event count goes up by the call's events. The call's entries are
-- published for live tails in one message: the events stream's key and a newline, then per entry a
-- header line `id field userBytes restBytes` and the user id and the rest, unseparated (a compressed rest
-- may hold any byte up to 127, newlines too).
-- keys: the app's events stream, its event count, then index streams the events may be listed in (one no
-- event lists is left).
-- argv[first]: channel, then per entry: its number of events n, the KEYS position of its user bucket, the
-- user fingerprint, user id, the rest (field `g`); then per event the KEYS positions of its status and
-- action indexes and action*10+status.
-- Returns the events' ids, in order, when `with_ids` (else nothing).
local function append_log(keys, argv, first, with_ids)
  local channel = argv[first]
  if #argv <= first then return {} end
  local events, count = keys[1], keys[2]
  local ids, published, listed = {}, {events, '\n'}, {}
  -- The arguments' numbers (index positions, codes, fingerprints) and the codes' text repeat across a
  -- call's events: each converted once.
  local numbers, comma_codes = {}, {}
  local function number(s)
    local v = numbers[s]
    if not v then
      v = tonumber(s)
      numbers[s] = v
    end
    return v
  end
  local function comma_code(code)
    local s = comma_codes[code]
    if not s then
      s = string.format(',%d', code)
      comma_codes[code] = s
    end
    return s
  end
  local floor = math.floor
  -- An event at the offset after the index entry's previous one continues its run: `,value`, or `,code`
  -- when it has the previous one's fingerprint (user buckets: value = fingerprint * 100 + code). A
  -- value under 100 would read as a code, so one with another fingerprint starts a run of its own.
  local function list(key, offset, value)
    local entry = listed[key]
    if not entry then
      entry = {parts = {}, n = 0}
      listed[key] = entry
    end
    local fingerprint = floor(value / 100)
    local n = entry.n + 1
    if entry.last == offset - 1 and entry.fingerprint == fingerprint then
      entry.parts[n] = comma_code(value % 100)
    elseif entry.last == offset - 1 and value >= 100 then
      entry.parts[n] = string.format(',%d', value)
    else
      entry.parts[n] = string.format(n > 1 and ' %d:%d' or '%d:%d', offset, value)
    end
    entry.n, entry.last, entry.fingerprint = n, offset, fingerprint
  end
  local ms, seq
  local at, total, entries, n, last = first + 1, 0, 0, 0, #argv
  while at <= last do
    n = number(argv[at])
    local bucket, fingerprint = number(argv[at + 1]), number(argv[at + 2])
    local user, rest = argv[at + 3], argv[at + 4]
    local id
    if total == 0 then
      id = redis.call('XADD', events, '*', 'u', user, 'g', rest)
      local dash = string.find(id, '-', 1, true)
      ms, seq = string.sub(id, 1, dash - 1), tonumber(string.sub(id, dash + 1))
    else
      id = ms .. '-' .. string.format('%d', seq + total)
      redis.call('XADD', events, id, 'u', user, 'g', rest)
    end
    for i = 0, n - 1 do
      local e = at + 5 + i * 3
      local code = number(argv[e + 2])
      list(bucket, total + i, fingerprint * 100 + code)
      list(number(argv[e]), total + i, code)
      list(number(argv[e + 1]), total + i, code)
      if with_ids then ids[total + i + 1] = ms .. '-' .. string.format('%d', seq + total + i) end
    end
    published[#published + 1] = string.format('%s g %d %d\n', id, #user, #rest)
    published[#published + 1] = user
    published[#published + 1] = rest
    total, entries, at = total + n, entries + 1, at + 5 + n * 3
  end
  if n > 1 then redis.call('XSETID', events, ms .. '-' .. string.format('%d', seq + total - 1)) end
  -- A count created now starts from the events stored before it, one per entry in the older formats.
  if redis.call('INCRBY', count, total) == total then
    local before = redis.call('XLEN', events) - entries
    if before > 0 then redis.call('INCRBY', count, before) end
  end
  local first_id = ms .. '-' .. string.format('%d', seq)
  for k = 3, #keys do
    if listed[k] then redis.call('XADD', keys[k], first_id, 'v', table.concat(listed[k].parts)) end
  end
  redis.call('PUBLISH', channel, table.concat(published))
  if with_ids then return ids end
end
