-- A page of ids in the order they were first written: those of the sorted set stores kept before (by
-- score), then those of the list kept since; newest first when asked. offset and limit count in that
-- whole sequence.
-- KEYS: the sorted set, the list. ARGV: offset, limit, '1' for newest first.
local offset, limit = tonumber(ARGV[1]), tonumber(ARGV[2])
local last = offset + limit - 1
local older = redis.call('ZCARD', KEYS[1])
local newer = redis.call('LLEN', KEYS[2])
local ids = {}
local function add(part)
  for _, id in ipairs(part) do ids[#ids + 1] = id end
end
if ARGV[3] == '1' then
  if offset < newer then
    local part = redis.call('LRANGE', KEYS[2], math.max(newer - 1 - last, 0), newer - 1 - offset)
    for i = #part, 1, -1 do ids[#ids + 1] = part[i] end
  end
  if last >= newer and older > 0 then
    add(redis.call('ZRANGE', KEYS[1], math.max(offset - newer, 0), last - newer, 'REV'))
  end
else
  if offset < older then add(redis.call('ZRANGE', KEYS[1], offset, math.min(last, older - 1))) end
  if last >= older and newer > 0 then
    add(redis.call('LRANGE', KEYS[2], math.max(offset - older, 0), last - older))
  end
end
return ids
