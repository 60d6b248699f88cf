-- What a push reconciles from, read in one step, and the push's lease on the user: while another push
-- of the user holds an unexpired lease, answers {'busy', its expiry in ms} and takes nothing.
-- KEYS: queued-task set, record hash. ARGV: task key prefix, lease owner, now (ms), lease length (ms).
-- Returns {'ok', record as field/value list, task JSONs ('' when gone)}.
local record = redis.call('HGETALL', KEYS[2])
if #record == 0 then return {'ok', record, {}} end
local owner, until_ms
for i = 1, #record, 2 do
  if record[i] == 'leaseOwner' then owner = record[i + 1] elseif record[i] == 'leaseUntil' then until_ms = record[i + 1] end
end
if owner and owner ~= '' and owner ~= ARGV[2] and tonumber(until_ms) > tonumber(ARGV[3]) then
  return {'busy', until_ms}
end
redis.call('HSET', KEYS[2], 'leaseOwner', ARGV[2], 'leaseUntil', tostring(tonumber(ARGV[3]) + tonumber(ARGV[4])))
local ids = redis.call('SMEMBERS', KEYS[1])
local tasks = {}
for i, id in ipairs(ids) do tasks[i] = redis.call('GET', ARGV[1] .. id) or '' end
return {'ok', record, tasks}
