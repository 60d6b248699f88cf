-- Appends one app's log events: each goes to the app's events stream, with consecutive ids (the first
-- assigned by Redis, the rest its sequence + 1, + 2...), so one index entry per index stream per call
-- lists the call's events there: its id is the call's first event id, its value `offset:code` per event
-- (offset from that id's sequence). An event's entry holds its user id (`u`) and the rest of it (field
-- `j` or `z`, see log-codec.ts). The call's events are published for live tails in one message: the
-- events stream's key and a newline, then per event a header line `id field userBytes restBytes` and
-- the user id and the rest, unseparated (a compressed rest may hold any byte up to 127, newlines too).
-- keys: the app's events stream, then index streams the events may be listed in (one no event lists is left).
-- argv[first]: channel, then 8 per event: the KEYS positions of its user bucket, status and action
-- indexes, action*10+status, user fingerprint, user id, field name of the rest ('j' or 'z'), the rest.
local function append_log(keys, argv, first)
  local channel = argv[first]
  local count = (#argv - first) / 8
  if count == 0 then return {} end
  local events = keys[1]
  local ids, published, listed = {}, {events, '\n'}, {}
  local ms, seq
  for i = 0, count - 1 do
    local at = first + 1 + i * 8
    local code, fingerprint = tonumber(argv[at + 3]), tonumber(argv[at + 4])
    local user, field, rest = argv[at + 5], argv[at + 6], argv[at + 7]
    local id
    if i == 0 then
      id = redis.call('XADD', events, '*', 'u', user, field, rest)
      local dash = string.find(id, '-', 1, true)
      ms, seq = string.sub(id, 1, dash - 1), tonumber(string.sub(id, dash + 1))
    else
      id = ms .. '-' .. string.format('%d', seq + i)
      redis.call('XADD', events, id, 'u', user, field, rest)
    end
    for k = 0, 2 do
      local key = tonumber(argv[at + k])
      local value = k == 0 and fingerprint * 100 + code or code
      local entry = listed[key] or {}
      entry[#entry + 1] = i .. ':' .. string.format('%d', value)
      listed[key] = entry
    end
    published[#published + 1] = id .. ' ' .. field .. ' ' .. #user .. ' ' .. #rest .. '\n'
    published[#published + 1] = user
    published[#published + 1] = rest
    ids[#ids + 1] = id
  end
  local first_id = ms .. '-' .. string.format('%d', seq)
  for k = 2, #keys do
    if listed[k] then redis.call('XADD', keys[k], first_id, 'v', table.concat(listed[k], ' ')) end
  end
  redis.call('PUBLISH', channel, table.concat(published))
  return ids
end
