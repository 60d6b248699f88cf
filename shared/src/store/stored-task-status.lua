-- The status of a task as stored (task-codec.ts): a done task is its status, a space and its deflated
-- JSON; any other is its JSON. '' for no task.
local function stored_task_status(raw)
  if not raw then return '' end
  return string.match(raw, '^(%l+) ') or cjson.decode(raw).status or ''
end
