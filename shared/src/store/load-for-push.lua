-- What a push reconciles from, read in one step, and the push's lease on the user: while another push
-- of the user holds an unexpired lease, answers {'busy', its expiry in ms} and takes nothing.
-- When the push will create the account (a queued task, no account linked, the user assigned with an
-- active intent), the create is recorded with the lease (`creating`, as a push step would: the record's
-- revision bumped), so from now on the record says an account may exist.
-- KEYS: queued-task set, record hash. ARGV: task key prefix, lease owner, now (ms), lease end (ms).
-- Returns {'ok', record as field/value list after the write (under its stored names: a record stored in
-- the form of before is rewritten first), the queued task ids, their tasks as stored ('' when gone), the
-- userName of the create recorded ('' when none)}.
local function fields_of(flat)
  local f = {}
  for i = 1, #flat, 2 do f[flat[i]] = flat[i + 1] end
  return f
end
local flat = redis.call('HGETALL', KEYS[2])
if #flat == 0 then return {'ok', flat, {}, {}, ''} end
local f = fields_of(flat)
if f.userId then
  migrate_record(KEYS[2])
  f = fields_of(redis.call('HGETALL', KEYS[2]))
end
local owner = f[F.leaseOwner]
if owner and owner ~= '' and owner ~= ARGV[2] and (tonumber(f[F.leaseUntil]) or 0) > tonumber(ARGV[3]) then
  return {'busy', f[F.leaseUntil]}
end
local ids = redis.call('SMEMBERS', KEYS[1])
local tasks, queued = {}, false
for i, id in ipairs(ids) do
  local raw = redis.call('GET', ARGV[1] .. id)
  tasks[i] = raw or ''
  if stored_task_status(raw) == 'queued' then queued = true end
end
local writes = {[F.leaseOwner] = ARGV[2], [F.leaseUntil] = ARGV[4]}
local creating = ''
if queued and (f[F.externalId] or '') == '' and f[F.assigned] == '1' and f[F.intent] == 'active'
    and (f[F.intentResource] or '') ~= '' then
  creating = cjson.decode(resource_json(f[F.intentResource])).userName
  writes[F.creating] = creating
  writes[F.rev] = tostring((tonumber(f[F.rev]) or 0) + 1)
  writes[F.updatedAt] = ARGV[3]
end
local args = {}
for name, value in pairs(writes) do
  args[#args + 1] = name
  args[#args + 1] = value
  f[name] = nil
end
redis.call('HSET', KEYS[2], unpack(args))
for name, value in pairs(f) do
  args[#args + 1] = name
  args[#args + 1] = value
end
return {'ok', args, ids, tasks, creating}
