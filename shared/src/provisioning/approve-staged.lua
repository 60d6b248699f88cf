-- Approves tasks of one app (a bulk approval's), each atomically with its log events, deciding from what
-- it reads here: a task still pending whose user has no queued task becomes queued, its user's record
-- takes the intent and the queued state, and its push is owed (outbox); the status and state indexes
-- and the outbox are written once per call for all of them. A task no longer pending is left ('skip');
-- one whose user has a queued task or no record is left to the guarded transition ('busy'), which
-- supersedes the older queued task.
-- KEYS: the app's record (routing the call to the app's shard), then the log's keys of the app (events
-- stream first, then the index streams; see log-append.lua).
-- ARGV: now ms; what goes before and after the id in a task's key, a user's record key and a
-- user's queued set key; the task status index prefix, the app user state index prefix, the outbox;
-- the task count, log arguments per task; the count and names of the record's
-- fields the approval sets; then per task: id, score (in its status indexes), its JSON once queued, user
-- id, its record's field values; then the log's channel and, per task in order, its events' arguments
-- (see log-append.lua).
-- Returns per task 'ok', 'skip' or 'busy'.
local now_ms = ARGV[1]
local task_key = {ARGV[2], ARGV[3]}
local record_key = {ARGV[4], ARGV[5]}
local queued_set_key = {ARGV[6], ARGV[7]}
local status_prefix, state_prefix, outbox = ARGV[8], ARGV[9], ARGV[10]
local count, per_task = tonumber(ARGV[11]), tonumber(ARGV[12])
local nfields = tonumber(ARGV[13])
local names = {unpack(ARGV, 14, 13 + nfields)}
local intent_at
for n, name in ipairs(names) do if name == F.intentResource then intent_at = n end end

local replies, applied = {}, {}
local queued_scores, left_pending, outbox_users, queued_users = {}, {}, {}, {}
local left_state = {}
local at = 14 + nfields
for i = 1, count do
  local id, score, json, user = ARGV[at], ARGV[at + 1], ARGV[at + 2], ARGV[at + 3]
  local values = at + 3
  at = at + 4 + nfields
  local key = task_key[1] .. id .. task_key[2]
  local hash = record_key[1] .. user .. record_key[2]
  local queued_key = queued_set_key[1] .. user .. queued_set_key[2]
  local raw = redis.call('GET', key)
  local reply = 'skip'
  if stored_task_status(raw) == 'pending' then
    local f = read_record(hash, {'userId', 'state', 'rev', 'queuedCount', 'pushedResource', 'intentResource'})
    local queued = tonumber(f.queuedCount)
    if f.userId and not queued then queued = redis.call('SCARD', queued_key) end
    if not f.userId or queued ~= 0 then
      reply = 'busy'
    else
      reply = 'ok'
      redis.call('SET', key, json)
      redis.call('SADD', queued_key, id)
      local fields = {}
      for n = 1, nfields do
        fields[#fields + 1] = names[n]
        fields[#fields + 1] = ARGV[values + n]
      end
      local pushed = pushed_resource_to_store(nil, intent_at and ARGV[values + intent_at] or f.intentResource,
        f.pushedResource, f.intentResource)
      if pushed then fields[#fields + 1] = F.pushedResource; fields[#fields + 1] = pushed end
      fields[#fields + 1] = F.userId; fields[#fields + 1] = user
      fields[#fields + 1] = F.rev; fields[#fields + 1] = tostring((tonumber(f.rev) or 0) + 1)
      fields[#fields + 1] = F.queuedCount; fields[#fields + 1] = '1'
      fields[#fields + 1] = F.state; fields[#fields + 1] = 'queued'
      fields[#fields + 1] = F.updatedAt; fields[#fields + 1] = now_ms
      write_record(hash, fields)
      left_pending[#left_pending + 1] = id
      queued_scores[#queued_scores + 1] = score
      queued_scores[#queued_scores + 1] = id
      outbox_users[#outbox_users + 1] = user
      if f.state ~= 'queued' then
        if f.state and f.state ~= '' then
          local left = left_state[f.state] or {}
          left[#left + 1] = user
          left_state[f.state] = left
        end
        queued_users[#queued_users + 1] = now_ms
        queued_users[#queued_users + 1] = user
      end
    end
  end
  replies[i] = reply
  applied[i] = reply == 'ok'
end

if #left_pending > 0 then
  redis.call('ZREM', status_prefix .. 'pending', unpack(left_pending))
  redis.call('ZADD', status_prefix .. 'queued', unpack(queued_scores))
  redis.call('SADD', outbox, unpack(outbox_users))
end
for state, users in pairs(left_state) do redis.call('ZREM', state_prefix .. state, unpack(users)) end
if #queued_users > 0 then redis.call('ZADD', state_prefix .. 'queued', unpack(queued_users)) end

local logged = {ARGV[at]}
for i = 1, count do
  if applied[i] then
    for k = at + 1 + (i - 1) * per_task, at + i * per_task do logged[#logged + 1] = ARGV[k] end
  end
end
append_log({unpack(KEYS, 2)}, logged, 1)
return replies
