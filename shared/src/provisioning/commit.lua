-- Lifecycle transitions of one app, each atomically: check its guards, then write the tasks, the app
-- users (state derived and indexed), the sets (assignment, outbox), push leases and the outcome window;
-- then the log events of every transition applied, in one append.
-- KEYS: the app's record (routing the call to the app's shard), then the log's keys of the app (its
-- events stream first, then the index streams the events are listed in; none when nothing is logged).
-- ARGV[1]: {transitions = [...], logArgs = [...]} as JSON (see transition.ts), logArgs[i] the number of
-- log arguments of transition i; ARGV[2]: log channel; ARGV[3..]: the transitions' log arguments in order,
-- then the call's index entries (see log-append.lua).
-- Returns one reply per transition: {'ok', wanted, outcome window...}, `wanted` '1' when the last app user
-- it wrote is still meant to be on the target ('0' when not, '' when it wrote none), or {'conflict',
-- guard index, what was found}.
local body = cjson.decode(ARGV[1])

-- Task statuses read or written by this call: a guard's read serves the write after it.
local statuses = {}
local function task_status(key)
  local known = statuses[key]
  if known then return known end
  local status = stored_task_status(redis.call('GET', key))
  statuses[key] = status
  return status
end

-- An app user's fields a transition reads (its guards, its state), read once per record until written.
local RECORD_FIELDS = {'userId', 'state', 'pendingTaskId', 'outcome', 'externalId', 'pushedActive', 'rev',
  'queuedCount', 'leaseOwner', 'leaseUntil', 'assigned', 'intent',
  -- for the marker of a pushed resource equal to the intent (write_app_user)
  'intentResource', 'pushedResource'}
local records = {}
local function record(hash)
  local known = records[hash]
  if known then return known end
  local fields = read_record(hash, RECORD_FIELDS)
  records[hash] = fields
  return fields
end

local function refused(t)
  for i, g in ipairs(t.guards) do
    local found
    if g.kind == 'task' then
      found = task_status(g.key)
    elseif g.kind == 'field' and g.field == 'rev' then
      found = record(g.key).rev or ''
    elseif g.kind == 'field' then
      found = redis.call('HGET', g.key, g.field) or ''
    elseif g.kind == 'value' then
      local raw = redis.call('GET', g.key)
      found = raw and redis.sha1hex(raw) or ''
    elseif g.kind == 'lease' then
      local f = record(g.key)
      found = (f.leaseOwner == g.owner and f.leaseUntil == g['until']) and 'held' or 'released'
    end
    if found ~= g.expected then return {'conflict', tostring(i), found} end
  end
  return nil
end

local function save_tasks(t)
  local skipped = {}
  for _, w in ipairs(t.tasks) do
    local current = task_status(w.key)
    if w.onlyFrom ~= '' and current ~= w.onlyFrom then
      skipped[w.id] = true
    else
      redis.call('SET', w.key, w.json)
      statuses[w.key] = w.status
      if current == '' then redis.call('RPUSH', w.all, w.id) end
      if current ~= w.status then
        -- `current` is never a final status (`finalList`'s): a task does not leave one
        if current ~= '' then redis.call('ZREM', w.statusPrefix .. current, w.id) end
        if w.finalList ~= '' then
          redis.call('RPUSH', w.finalList, w.id)
        else
          redis.call('ZADD', w.statusPrefix .. w.status, w.score, w.id)
        end
      end
    end
  end
  return skipped
end

-- An app user's state follows from its fields: pending task, queued tasks, last outcome, the target's
-- account. The record keeps how many tasks its queued set holds, so the state needs no count of it.
-- Answers whether the user is still meant to be on the target (assigned, with an intent present).
local function write_app_user(u, t, skipped, release)
  local h = u.hash
  local f = record(h)
  records[h] = nil
  local v = {pendingTaskId = f.pendingTaskId, outcome = f.outcome, externalId = f.externalId,
    pushedActive = f.pushedActive, assigned = f.assigned, intent = f.intent}
  for i = 1, #u.fields, 2 do v[FIELD_NAMED[u.fields[i]]] = u.fields[i + 1] end
  local queued = tonumber(f.queuedCount)
  if not queued then queued = f.userId and redis.call('SCARD', u.queued) or 0 end
  for _, id in ipairs(u.queuedAdd) do queued = queued + redis.call('SADD', u.queued, id) end
  for _, id in ipairs(u.queuedRemove) do
    if not skipped[id] then queued = queued - redis.call('SREM', u.queued, id) end
  end
  local state
  if v.pendingTaskId and v.pendingTaskId ~= '' then state = 'pending'
  elseif queued > 0 then state = 'queued'
  elseif v.outcome == 'failed' then state = 'failed'
  elseif v.outcome == 'denied' then state = 'denied'
  elseif v.externalId and v.externalId ~= '' then
    if v.pushedActive == '0' then state = 'suspended' else state = 'provisioned' end
  else state = 'deprovisioned' end
  local fields = u.fields
  local pushed = pushed_resource_to_store(v.pushedResource, v.intentResource or f.intentResource,
    f.pushedResource, f.intentResource)
  if pushed then fields[#fields + 1] = F.pushedResource; fields[#fields + 1] = pushed end
  fields[#fields + 1] = F.userId; fields[#fields + 1] = u.userId
  fields[#fields + 1] = F.rev; fields[#fields + 1] = tostring((tonumber(f.rev) or 0) + 1)
  fields[#fields + 1] = F.queuedCount; fields[#fields + 1] = tostring(queued)
  fields[#fields + 1] = F.state; fields[#fields + 1] = state
  fields[#fields + 1] = F.updatedAt; fields[#fields + 1] = t.nowMs
  if release[h] and f.leaseOwner == release[h] then
    fields[#fields + 1] = F.leaseOwner; fields[#fields + 1] = ''
    fields[#fields + 1] = F.leaseUntil; fields[#fields + 1] = ''
    release[h] = nil
  end
  write_record(h, fields)
  if not f.userId then redis.call('RPUSH', u.all, u.userId) end
  if f.state ~= state then
    if f.state and f.state ~= '' then redis.call('ZREM', u.statePrefix .. f.state, u.userId) end
    redis.call('ZADD', u.statePrefix .. state, t.nowMs, u.userId)
  end
  return v.assigned == '1' and (v.intent == 'active' or v.intent == 'suspended')
end

local function apply(t)
  local skipped = save_tasks(t)
  local release = {}
  for _, l in ipairs(t.leases or {}) do release[l.hash] = l.owner end
  local wanted = ''
  for _, u in ipairs(t.appUsers) do wanted = write_app_user(u, t, skipped, release) and '1' or '0' end
  for hash, owner in pairs(release) do
    if record(hash).leaseOwner == owner then redis.call('HDEL', hash, F.leaseOwner, F.leaseUntil) end
  end
  for _, s in ipairs(t.setAdd) do redis.call('SADD', s[1], unpack(s, 2)) end
  for _, s in ipairs(t.setRemove) do redis.call('SREM', s[1], unpack(s, 2)) end
  -- A member of a bucketed index (a hash) and the index's count: {bucket, member, count key}.
  for _, m in ipairs(t.countedAdd or {}) do
    if redis.call('HSET', m[1], m[2], '') == 1 then redis.call('INCR', m[3]) end
  end
  for _, m in ipairs(t.countedRemove or {}) do
    if redis.call('HDEL', m[1], m[2]) == 1 then redis.call('DECR', m[3]) end
  end
  for _, s in ipairs(t.strings) do redis.call('SET', s[1], s[2]) end
  for _, k in ipairs(t.deletes) do redis.call('DEL', k) end
  for _, m in ipairs(t.publish) do redis.call('PUBLISH', m[1], m[2]) end
  local reply = {'ok', wanted}
  if t.outcome then
    -- The window is the list's first `window` outcomes: it is trimmed back to them once it holds twice
    -- as many, not on every push.
    local held = redis.call('LPUSH', t.outcome.key, t.outcome.value)
    if held >= 2 * t.outcome.window then redis.call('LTRIM', t.outcome.key, 0, t.outcome.window - 1) end
    if t.outcome.value == '0' then
      for _, v in ipairs(redis.call('LRANGE', t.outcome.key, 0, t.outcome.window - 1)) do reply[#reply + 1] = v end
    end
  end
  return reply
end

-- The log's arguments follow the body: passed as they are when every transition was applied, else those
-- of the applied ones (without the call's index entries, which list every transition's events).
local replies, whole = {}, true
for i, t in ipairs(body.transitions) do
  replies[i] = refused(t) or apply(t)
  if replies[i][1] ~= 'ok' then whole = false end
end
if whole then
  append_log({unpack(KEYS, 2)}, ARGV, 2, false, true)
else
  local logged, at = {ARGV[2]}, 3
  for i, reply in ipairs(replies) do
    local count = body.logArgs[i]
    if reply[1] == 'ok' then
      for k = at, at + count - 1 do logged[#logged + 1] = ARGV[k] end
    end
    at = at + count
  end
  append_log({unpack(KEYS, 2)}, logged, 1)
end
return replies
