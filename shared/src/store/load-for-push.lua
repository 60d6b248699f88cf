-- What pushes of an app's users reconcile from, each read in one step, and each push's lease on its user:
-- while another push of the user holds an unexpired lease, answers {'busy', its expiry in ms} and takes
-- nothing. When the push will create the account (a queued task, no account linked, the user assigned
-- with an active intent), the create is recorded with the lease (`creating`, as a push step would: the
-- record's revision bumped), so from now on the record says an account may exist.
-- KEYS: per push, its user's queued-task set and record hash. ARGV: task key prefix, now (ms), then per
-- push its lease owner and lease end (ms).
-- Returns per push {'ok', record as field/value list after the write (under its stored names: a record
-- stored in the form of before is rewritten first), the queued task ids, their tasks as stored ('' when
-- gone), the userName of the create recorded ('' when none)} or {'busy', lease end}.
local function fields_of(flat)
  local f = {}
  for i = 1, #flat, 2 do f[flat[i]] = flat[i + 1] end
  return f
end

local function load_for_push(queued_key, record_key, owner, lease_until)
  local flat = redis.call('HGETALL', record_key)
  if #flat == 0 then return {'ok', flat, {}, {}, ''} end
  local f = fields_of(flat)
  if f.userId then
    migrate_record(record_key)
    f = fields_of(redis.call('HGETALL', record_key))
  end
  local holder = f[F.leaseOwner]
  if holder and holder ~= '' and holder ~= owner and (tonumber(f[F.leaseUntil]) or 0) > tonumber(ARGV[2]) then
    return {'busy', f[F.leaseUntil]}
  end
  local ids = redis.call('SMEMBERS', queued_key)
  local tasks, queued = {}, false
  for i, id in ipairs(ids) do
    local raw = redis.call('GET', ARGV[1] .. id)
    tasks[i] = raw or ''
    if stored_task_status(raw) == 'queued' then queued = true end
  end
  local writes = {[F.leaseOwner] = owner, [F.leaseUntil] = lease_until}
  local creating = ''
  if queued and (f[F.externalId] or '') == '' and f[F.assigned] == '1' and f[F.intent] == 'active'
      and (f[F.intentResource] or '') ~= '' then
    creating = cjson.decode(resource_json(f[F.intentResource], record_user_id(record_key))).userName
    writes[F.creating] = creating
    writes[F.rev] = tostring((tonumber(f[F.rev]) or 0) + 1)
    writes[F.updatedAt] = ARGV[2]
  end
  local args = {}
  for name, value in pairs(writes) do
    args[#args + 1] = name
    args[#args + 1] = value
    f[name] = nil
  end
  redis.call('HSET', record_key, unpack(args))
  for name, value in pairs(f) do
    args[#args + 1] = name
    args[#args + 1] = value
  end
  return {'ok', args, ids, tasks, creating}
end

local replies = {}
for push = 1, #KEYS / 2 do
  replies[push] = load_for_push(KEYS[2 * push - 1], KEYS[2 * push], ARGV[1 + 2 * push], ARGV[2 + 2 * push])
end
return replies
