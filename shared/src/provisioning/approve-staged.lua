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
-- the task count, log arguments per task; the count of the record's fields with one value for every
-- task, then each one's name and value; the count and names of the other fields the approval sets; then
-- per task: id, score (in its status indexes), user id, its queued JSON, its values of those fields;
-- then the log's channel, per task in order its events' arguments, and the call's index entries (see
-- log-append.lua).
-- Returns per task 'ok', 'skip' or 'busy'.

-- A pending task is stored as its JSON, status first (task-codec.ts; PENDING_OPENING is put before this
-- file): its opening tells it pending without the whole JSON coming into the script (Lua hashes every
-- string it holds, byte by byte). A pending task stored otherwise is left to the guarded transition
-- ('busy').
local function stored_status(key)
  if redis.call('GETRANGE', key, 0, #PENDING_OPENING - 1) == PENDING_OPENING then return 'pending', true end
  return stored_task_status(redis.call('GET', key)), false
end
local now_ms = ARGV[1]
local task_key = {ARGV[2], ARGV[3]}
local record_key = {ARGV[4], ARGV[5]}
local queued_set_key = {ARGV[6], ARGV[7]}
local status_prefix, state_prefix, outbox = ARGV[8], ARGV[9], ARGV[10]
local count, per_task = tonumber(ARGV[11]), tonumber(ARGV[12])
-- The record's fields the approval sets: those with one value for every task of the call once, as
-- fields to set (`common_set`) or, empty, to remove (`common_cleared`); then the names of the others,
-- whose values each task gives.
local common_set, common_cleared, common_intent = {}, {}, nil
local at = 14
for _ = 1, tonumber(ARGV[13]) do
  local name, value = ARGV[at], ARGV[at + 1]
  if value == '' then
    common_cleared[#common_cleared + 1] = name
  else
    common_set[#common_set + 1], common_set[#common_set + 2] = name, value
  end
  if name == F.intentResource then common_intent = value end
  at = at + 2
end
local nvarying = tonumber(ARGV[at])
local varying = {unpack(ARGV, at + 1, at + nvarying)}
at = at + 1 + nvarying
local intent_at
for n, name in ipairs(varying) do if name == F.intentResource then intent_at = n end end
if not (intent_at or common_intent) then
  return redis.error_reply('approve-staged: the approval sets the intent resource')
end

local READ = {'userId', 'state', 'rev', 'queuedCount', 'pushedResource'}
-- Every task's record is read into `record`, made once; its write is built in `set`, which holds the
-- fields every task writes alike first (its revision at 2 is the task's own).
local record = {}
local set = {F.rev, '', F.queuedCount, '1', F.state, 'queued', F.updatedAt, now_ms, unpack(common_set)}
local fixed_fields = #set
local replies = {}
local queued_scores, left_pending, outbox_users, queued_users = {}, {}, {}, {}
local left_state = {}
local applied, n_queued_users = 0, 0
local log_at = at + count * (4 + nvarying)
local logs = {}
for i = 1, count do
  local id, score, user, queued_json = ARGV[at], ARGV[at + 1], ARGV[at + 2], ARGV[at + 3]
  local values = at + 3
  at = at + 4 + nvarying
  local key = task_key[1] .. id .. task_key[2]
  local hash = record_key[1] .. user .. record_key[2]
  local queued_key = queued_set_key[1] .. user .. queued_set_key[2]
  local status, status_first = stored_status(key)
  local reply = 'skip'
  if status == 'pending' then
    local f = read_record(hash, READ, record)
    local queued = tonumber(f.queuedCount)
    if f.userId and not queued then queued = redis.call('SCARD', queued_key) end
    if not f.userId or queued ~= 0 or not status_first then
      reply = 'busy'
    else
      reply = 'ok'
      redis.call('SET', key, queued_json)
      redis.call('SADD', queued_key, id)
      -- The record's fields written as write_record would (an empty value removes its field): `set`
      -- holds those every task writes alike, then this task's. The names are distinct, never the user id.
      set[2] = tostring((tonumber(f.rev) or 0) + 1)
      local n, cleared = fixed_fields, common_cleared
      for k = 1, nvarying do
        local value = ARGV[values + k]
        if value == '' then
          if cleared == common_cleared then cleared = {unpack(common_cleared)} end
          cleared[#cleared + 1] = varying[k]
        else
          set[n + 1], set[n + 2] = varying[k], value
          n = n + 2
        end
      end
      -- The stored intent (a resource of a few hundred bytes) matters only under a pushed resource
      -- stored as '=' (see pushed_resource_to_store): read then, not with every record.
      local stored_intent = f.pushedResource == '=' and redis.call('HGET', hash, F.intentResource)
      local intent = common_intent or ARGV[values + intent_at]
      local pushed = pushed_resource_to_store(nil, intent, f.pushedResource, stored_intent)
      if pushed then
        set[n + 1], set[n + 2] = F.pushedResource, pushed
        n = n + 2
      end
      redis.call('HSET', hash, unpack(set, 1, n))
      if cleared[1] then redis.call('HDEL', hash, unpack(cleared)) end
      applied = applied + 1
      left_pending[applied] = id
      queued_scores[2 * applied - 1], queued_scores[2 * applied] = score, id
      outbox_users[applied] = user
      if f.state ~= 'queued' then
        if f.state and f.state ~= '' then
          local left = left_state[f.state] or {}
          left[#left + 1] = user
          left_state[f.state] = left
        end
        queued_users[n_queued_users + 1], queued_users[n_queued_users + 2] = now_ms, user
        n_queued_users = n_queued_users + 2
      end
    end
  end
  replies[i] = reply
  logs[i] = reply == 'ok'
end

if applied > 0 then
  redis.call('ZREM', status_prefix .. 'pending', unpack(left_pending))
  redis.call('ZADD', status_prefix .. 'queued', unpack(queued_scores))
  redis.call('SADD', outbox, unpack(outbox_users))
end
for state, users in pairs(left_state) do redis.call('ZREM', state_prefix .. state, unpack(users)) end
if n_queued_users > 0 then redis.call('ZADD', state_prefix .. 'queued', unpack(queued_users)) end

-- The log's arguments end ARGV: passed as they are when every task was applied, else those of the
-- applied tasks (without the call's index entries, which list every task's events).
if applied == count then
  append_log({unpack(KEYS, 2)}, ARGV, log_at, false, true)
else
  local logged, n = {ARGV[log_at]}, 1
  for i = 1, count do
    if logs[i] then
      for k = log_at + 1 + (i - 1) * per_task, log_at + i * per_task do
        n = n + 1
        logged[n] = ARGV[k]
      end
    end
  end
  append_log({unpack(KEYS, 2)}, logged, 1)
end
return replies
