-- A role's save with the users it gains and loses, in one step: the role's record, then each user's
-- roles (moved out of the set stores written before kept, if it has one).
-- KEYS: the role's record, then per user its bucket and its set written before.
-- ARGV: the record, the role id, how many users lose it (they come first), then per user its id.
redis.call('SET', KEYS[1], ARGV[1])
local role, losing = ARGV[2], tonumber(ARGV[3])
for i = 4, #ARGV do
  local user = ARGV[i]
  local bucket, before = KEYS[2 * (i - 4) + 2], KEYS[2 * (i - 4) + 3]
  local kept = {}
  for _, held in ipairs(roles_of(bucket, before, user)) do
    if held ~= role then kept[#kept + 1] = held end
  end
  if i - 3 > losing then kept[#kept + 1] = role end
  if #kept > 0 then redis.call('HSET', bucket, user, table.concat(kept, ' '))
  else redis.call('HDEL', bucket, user) end
  redis.call('DEL', before)
end
