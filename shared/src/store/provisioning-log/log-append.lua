-- Whether a live tail may listen on the channel: on one Redis, whether it has a subscriber; a cluster's
-- node counts only its own subscribers while a message reaches every node's, so a cluster always publishes.
local function listened(channel)
  if redis.call('PUBSUB', 'NUMSUB', channel)[2] > 0 then return true end
  return string.find(redis.call('INFO', 'cluster'), 'cluster_enabled:1', 1, true) ~= nil
end

-- Appends one app's log events in stream entries, each holding one or more events of one user (see
-- log-codec.ts). The call's events have consecutive ids (the first assigned by Redis, the rest its
-- sequence + 1, + 2...); an entry's id is its first event's, and the stream's last id is moved past the
-- call's last event, so the next call's ids follow. One index entry per index stream per call lists the
-- call's events there: its id is the call's first event id, its value `offset:code` per event (offset
-- from that id's sequence), the events at the offsets after it as runs: `offset:code,code,code`. The app's event count goes up by the call's events. The call's entries are
-- published for live tails in one message, when one listens (see `listened`): the events stream's key and
-- a newline, then per entry a header line `id field userBytes restBytes` and the user id and the rest,
-- unseparated (a compressed rest may hold any byte up to 127, newlines too).
-- keys: the app's events stream, its event count, then index streams the events may be listed in (one no
-- event lists is left).
-- argv[first]: channel, then per entry: its shape, the KEYS position of its user bucket, the user
-- fingerprint, user id, the rest (field `g`). A shape is numbers apart by spaces: the entry's number of
-- events, then per event the KEYS positions of its status and action indexes and action*10+status (the
-- entries of a call share a few shapes: each is read once).
-- After the entries, one argument per index stream (keys 3 on, in order): its entry for the whole call,
-- built by the caller (log-append-call.ts). When `whole` (every step's entries are appended), they are
-- written as they are; a caller that leaves a refused step's entries out passes them without these, and
-- the entries are built here (`list`).
-- Returns the events' ids, in order, when `with_ids` (else nothing).
local function append_log(keys, argv, first, with_ids, whole)
  local channel = argv[first]
  if #argv <= first then return {} end
  local events, count = keys[1], keys[2]
  local ids, listed = {}, {}
  local published = listened(channel) and {events, '\n'}
  -- The arguments' numbers (shapes, index positions, fingerprints) and the texts made of them repeat
  -- across a call's entries: each converted once (string.format is among a script's dearest calls).
  local function memoised(make)
    local made = {}
    return function(key)
      local value = made[key]
      if value == nil then
        value = make(key)
        made[key] = value
      end
      return value
    end
  end
  local number = memoised(tonumber)
  local shape_of = memoised(function(text)
    local shape = {}
    for v in string.gmatch(text, '%d+') do shape[#shape + 1] = tonumber(v) end
    return shape
  end)
  local comma_code = memoised(function(code) return string.format(',%d', code) end)
  local two_digit = memoised(function(code) return string.format('%02d', code) end)
  local text_of = memoised(function(n) return string.format('%d', n) end)
  -- An event at the offset after the index entry's previous one continues its run: `,value`, or `,code`
  -- when it has the previous one's fingerprint (user buckets: value = fingerprint * 100 + code, its text
  -- the fingerprint's and the code's two digits). A value under 100 would read as a code, so one with
  -- another fingerprint starts a run of its own.
  local function list(key, offset, code, fingerprint, fingerprint_text)
    local entry = listed[key]
    if not entry then
      entry = {parts = {}, n = 0}
      listed[key] = entry
    end
    local n = entry.n + 1
    if entry.last == offset - 1 and entry.fingerprint == fingerprint then
      entry.parts[n] = comma_code(code)
    elseif entry.last == offset - 1 and fingerprint > 0 then
      entry.parts[n] = ',' .. fingerprint_text .. two_digit(code)
    else
      local value = fingerprint > 0 and fingerprint_text .. two_digit(code) or text_of(code)
      entry.parts[n] = (n > 1 and ' ' or '') .. text_of(offset) .. ':' .. value
    end
    entry.n, entry.last, entry.fingerprint = n, offset, fingerprint
  end
  local ms, seq, ms_dash
  local at, total, entries, n, last = first + 1, 0, 0, 0, #argv - (whole and #keys - 2 or 0)
  while at <= last do
    local shape = shape_of(argv[at])
    n = shape[1]
    local user, rest = argv[at + 3], argv[at + 4]
    local id
    if total == 0 then
      id = redis.call('XADD', events, '*', 'u', user, 'g', rest)
      local dash = string.find(id, '-', 1, true)
      ms, seq = string.sub(id, 1, dash - 1), tonumber(string.sub(id, dash + 1))
      ms_dash = ms .. '-'
    else
      id = ms_dash .. string.format('%d', seq + total)
      redis.call('XADD', events, id, 'u', user, 'g', rest)
    end
    if not whole then
      local bucket, fingerprint_text = number(argv[at + 1]), argv[at + 2]
      local fingerprint = number(fingerprint_text)
      for i = 0, n - 1 do
        local e = 2 + i * 3
        local code = shape[e + 2]
        list(bucket, total + i, code, fingerprint, fingerprint_text)
        list(shape[e], total + i, code, 0, '')
        list(shape[e + 1], total + i, code, 0, '')
      end
    end
    if with_ids then
      for i = 0, n - 1 do ids[total + i + 1] = ms_dash .. string.format('%d', seq + total + i) end
    end
    if published then
      published[#published + 1] = id .. ' g ' .. text_of(#user) .. ' ' .. text_of(#rest) .. '\n'
      published[#published + 1] = user
      published[#published + 1] = rest
    end
    total, entries, at = total + n, entries + 1, at + 5
  end
  if n > 1 then redis.call('XSETID', events, ms_dash .. string.format('%d', seq + total - 1)) end
  -- A count created now starts from the events stored before it, one per entry in the older formats.
  if redis.call('INCRBY', count, total) == total then
    local before = redis.call('XLEN', events) - entries
    if before > 0 then redis.call('INCRBY', count, before) end
  end
  local first_id = ms_dash .. string.format('%d', seq)
  for k = 3, #keys do
    if whole then
      redis.call('XADD', keys[k], first_id, 'v', argv[last + k - 2])
    elseif listed[k] then
      redis.call('XADD', keys[k], first_id, 'v', table.concat(listed[k].parts))
    end
  end
  if published then redis.call('PUBLISH', channel, table.concat(published)) end
  if with_ids then return ids end
end
