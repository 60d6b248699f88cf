-- Appends log events: each goes to the events stream (Redis assigns a time-ordered id), the same id
-- goes to each of its 6 index streams with its code, and the call's events are published for live tails
-- in one message (`id\npayload` per event, joined by newlines: JSON has none).
-- keys: events, appCodes, appCodeSeq, then 6 index keys per event (the user bucket second).
-- argv[first]: channel, then appId, action*10+status, user fingerprint, payload per event.
local function append_log(keys, argv, first)
  local events, appCodes, appCodeSeq = keys[1], keys[2], keys[3]
  local channel = argv[first]
  local count = (#argv - first) / 4
  local ids, published, appCodeOf = {}, {}, {}
  for i = 0, count - 1 do
    local at = first + 1 + i * 4
    local appId, code, fingerprint, payload = argv[at], tonumber(argv[at + 1]), tonumber(argv[at + 2]), argv[at + 3]
    local appCode = appCodeOf[appId]
    if not appCode then
      appCode = redis.call('HGET', appCodes, appId)
      if not appCode then
        appCode = redis.call('INCR', appCodeSeq)
        redis.call('HSET', appCodes, appId, appCode)
      end
      appCode = tonumber(appCode)
      appCodeOf[appId] = appCode
    end
    local id = redis.call('XADD', events, '*', 'e', payload)
    local value = appCode * 100 + code
    local userValue = (fingerprint * 1048576 + appCode) * 100 + code
    for k = 0, 5 do
      redis.call('XADD', keys[4 + i * 6 + k], id, 'v', string.format('%d', k == 1 and userValue or value))
    end
    published[#published + 1] = id
    published[#published + 1] = payload
    ids[#ids + 1] = id
  end
  if #ids > 0 then redis.call('PUBLISH', channel, table.concat(published, '\n')) end
  return ids
end
