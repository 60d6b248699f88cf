-- Appends one app's log events: each goes to the app's events stream, with consecutive ids (the first
-- assigned by Redis, the rest its sequence + 1, + 2...), so one index entry per index stream per call
-- lists the call's events there: its id is the call's first event id, its value `offset:code` per event
-- (offset from that id's sequence). The call's events are published for live tails in one message
-- (`id\npayload` per event, joined by newlines: JSON has none).
-- keys: the app's events stream, then index streams the events may be listed in (one no event lists is left).
-- argv[first]: channel, then 6 per event: the KEYS positions of its user bucket, status and action
-- indexes, action*10+status, user fingerprint, payload.
local function append_log(keys, argv, first)
  local channel = argv[first]
  local count = (#argv - first) / 6
  if count == 0 then return {} end
  local events = keys[1]
  local ids, published, listed = {}, {}, {}
  local ms, seq
  for i = 0, count - 1 do
    local at = first + 1 + i * 6
    local code, fingerprint, payload = tonumber(argv[at + 3]), tonumber(argv[at + 4]), argv[at + 5]
    local id
    if i == 0 then
      id = redis.call('XADD', events, '*', 'e', payload)
      local dash = string.find(id, '-', 1, true)
      ms, seq = string.sub(id, 1, dash - 1), tonumber(string.sub(id, dash + 1))
    else
      id = ms .. '-' .. string.format('%d', seq + i)
      redis.call('XADD', events, id, 'e', payload)
    end
    for k = 0, 2 do
      local key = tonumber(argv[at + k])
      local value = k == 0 and fingerprint * 100 + code or code
      local entry = listed[key] or {}
      entry[#entry + 1] = i .. ':' .. string.format('%d', value)
      listed[key] = entry
    end
    published[#published + 1] = id
    published[#published + 1] = payload
    ids[#ids + 1] = id
  end
  local first_id = ms .. '-' .. string.format('%d', seq)
  for k = 2, #keys do
    if listed[k] then redis.call('XADD', keys[k], first_id, 'v', table.concat(listed[k], ' ')) end
  end
  redis.call('PUBLISH', channel, table.concat(published, '\n'))
  return ids
end
