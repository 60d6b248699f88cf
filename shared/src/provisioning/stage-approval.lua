-- 'Bulk approve' in O(1): moves every pending task id of the app into a new batch (RENAME of the status
-- index) and records the batch marker. KEYS: pending index, batch tasks, batch marker, batches index.
-- ARGV: batch id, at ms, by.
local n = redis.call('ZCARD', KEYS[1])
if n == 0 then return 0 end
redis.call('RENAME', KEYS[1], KEYS[2])
redis.call('HSET', KEYS[3], 'by', ARGV[3], 'at', ARGV[2])
redis.call('ZADD', KEYS[4], ARGV[2], ARGV[1])
return n
