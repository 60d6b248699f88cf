-- What a push job reconciles from, read in one step. KEYS: queued-task set, record hash.
-- ARGV: task key prefix. Returns {record as field/value list, task JSONs ('' when gone)}.
local ids = redis.call('SMEMBERS', KEYS[1])
local record = redis.call('HGETALL', KEYS[2])
local tasks = {}
for i, id in ipairs(ids) do tasks[i] = redis.call('GET', ARGV[1] .. id) or '' end
return {record, tasks}
