-- The directory's users' roles: a field per user (its role ids, space-separated) in the bucket of
-- keys.userRoles; a user whose field is absent may still have the set stores written before kept.
-- KEYS, per user: its bucket, its set written before. ARGV, per user: its id.
local function roles_of(bucket, before, user)
  local held = redis.call('HGET', bucket, user)
  if not held then return redis.call('SMEMBERS', before) end
  local roles = {}
  for role in string.gmatch(held, '%S+') do roles[#roles + 1] = role end
  return roles
end
