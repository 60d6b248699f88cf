-- The status of a task as stored (task-codec.ts): a done task is its status, a space and its deflated
-- JSON; any other is its JSON, the status its first key (read without decoding; a task stored before
-- that is decoded). '' for no task.
local function stored_task_status(raw)
  if not raw then return '' end
  return string.match(raw, '^(%l+) ') or string.match(raw, '^{"status":"(%l+)"') or cjson.decode(raw).status
    or ''
end
