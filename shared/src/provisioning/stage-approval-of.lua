-- Bulk approval of a plan's tasks: of the ids in KEYS[5] (the plan's, written just before), those still in
-- the app's pending index move into a new batch with their pending scores, and the batch is recorded.
-- Tasks that became pending after the plan are not in KEYS[5] and stay pending.
-- KEYS: pending index, batch tasks, batch marker, batches index, plan ids. ARGV: batch id, at ms, by.
local n = redis.call('ZINTERSTORE', KEYS[2], 2, KEYS[5], KEYS[1], 'WEIGHTS', 0, 1)
redis.call('DEL', KEYS[5])
if n == 0 then return 0 end
redis.call('ZDIFFSTORE', KEYS[1], 2, KEYS[1], KEYS[2])
redis.call('HSET', KEYS[3], 'by', ARGV[3], 'at', ARGV[2])
redis.call('ZADD', KEYS[4], ARGV[2], ARGV[1])
return n
