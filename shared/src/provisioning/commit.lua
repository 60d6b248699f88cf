-- One lifecycle transition, atomically: check its guards, then write the tasks, the app users (state
-- derived and indexed), the sets (assignment, outbox), push leases, the outcome window and the log events
-- together.
-- KEYS: the app's record (routing the call to the app's shard), then the log's keys of the
-- transition's app (its events stream first, then the index streams its events are listed in; none
-- when it logs nothing).
-- ARGV[1]: the transition as JSON (see commit.ts); ARGV[2]: log channel; ARGV[3..]: 6 per log event.
-- Returns {'ok', outcome window...} or {'conflict', guard index, what was found}.
local t = cjson.decode(ARGV[1])

local function task_status(key)
  local raw = redis.call('GET', key)
  if not raw then return '' end
  return cjson.decode(raw).status or ''
end

for i, g in ipairs(t.guards) do
  local found
  if g.kind == 'task' then
    found = task_status(g.key)
  elseif g.kind == 'field' then
    found = redis.call('HGET', g.key, g.field) or ''
  elseif g.kind == 'value' then
    local raw = redis.call('GET', g.key)
    found = raw and redis.sha1hex(raw) or ''
  elseif g.kind == 'once' then
    found = redis.call('EXISTS', g.key) == 1 and 'applied' or ''
  end
  if found ~= g.expected then return {'conflict', tostring(i), found} end
end

for _, g in ipairs(t.guards) do
  if g.kind == 'once' then redis.call('SET', g.key, '1', 'EX', g.ttlSeconds) end
end

local skipped = {}
for _, w in ipairs(t.tasks) do
  local current = task_status(w.key)
  if w.onlyFrom ~= '' and current ~= w.onlyFrom then
    skipped[w.id] = true
  else
    redis.call('SET', w.key, w.json)
    if current == '' then redis.call('ZADD', w.all, w.score, w.id) end
    if current ~= w.status then
      if current ~= '' then redis.call('ZREM', w.statusPrefix .. current, w.id) end
      redis.call('ZADD', w.statusPrefix .. w.status, w.score, w.id)
    end
  end
end

-- An app user's state follows from its fields: pending task, queued tasks, last outcome, the target's account.
for _, u in ipairs(t.appUsers) do
  local h = u.hash
  redis.call('HSETNX', h, 'userId', u.userId)
  redis.call('ZADD', u.all, 'NX', t.nowMs, u.userId)
  if #u.fields > 0 then redis.call('HSET', h, unpack(u.fields)) end
  for _, id in ipairs(u.queuedAdd) do redis.call('SADD', u.queued, id) end
  for _, id in ipairs(u.queuedRemove) do
    if not skipped[id] then redis.call('SREM', u.queued, id) end
  end
  redis.call('HINCRBY', h, 'rev', 1)
  local f = redis.call('HMGET', h, 'state', 'pendingTaskId', 'outcome', 'externalId', 'pushedActive')
  local state
  if f[2] and f[2] ~= '' then state = 'pending'
  elseif redis.call('SCARD', u.queued) > 0 then state = 'queued'
  elseif f[3] == 'failed' then state = 'failed'
  elseif f[3] == 'denied' then state = 'denied'
  elseif f[4] and f[4] ~= '' then
    if f[5] == '0' then state = 'suspended' else state = 'provisioned' end
  else state = 'deprovisioned' end
  if f[1] and f[1] ~= '' and f[1] ~= state then redis.call('ZREM', u.statePrefix .. f[1], u.userId) end
  if f[1] ~= state then redis.call('ZADD', u.statePrefix .. state, t.nowMs, u.userId) end
  redis.call('HSET', h, 'state', state, 'updatedAt', t.nowIso)
end

for _, s in ipairs(t.setAdd) do redis.call('SADD', s[1], unpack(s, 2)) end
for _, s in ipairs(t.setRemove) do redis.call('SREM', s[1], unpack(s, 2)) end
for _, s in ipairs(t.strings) do redis.call('SET', s[1], s[2]) end
for _, k in ipairs(t.deletes) do redis.call('DEL', k) end
for _, m in ipairs(t.publish) do redis.call('PUBLISH', m[1], m[2]) end
for _, l in ipairs(t.leases or {}) do
  if redis.call('HGET', l.hash, 'leaseOwner') == l.owner then redis.call('HDEL', l.hash, 'leaseOwner', 'leaseUntil') end
end

append_log({unpack(KEYS, 2)}, ARGV, 2)

local reply = {'ok'}
if t.outcome then
  redis.call('LPUSH', t.outcome.key, t.outcome.value)
  redis.call('LTRIM', t.outcome.key, 0, t.outcome.window - 1)
  if t.outcome.value == '0' then
    for _, v in ipairs(redis.call('LRANGE', t.outcome.key, 0, -1)) do reply[#reply + 1] = v end
  end
end
return reply
