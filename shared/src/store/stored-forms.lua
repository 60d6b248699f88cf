-- How a script reads and writes what the stores encode (task-codec.ts, AppUsersStore).

-- The status of a task as stored: a done task is its status, a space and its deflated JSON; any other
-- is its JSON, the status its first key (read without decoding; a task stored before that is decoded).
-- '' for no task.
local function stored_task_status(raw)
  if not raw then return '' end
  return string.match(raw, '^(%l+) ') or string.match(raw, '^{"status":"(%l+)"') or cjson.decode(raw).status
    or ''
end

-- A pushed resource equal to the intent is stored as '=' (AppUsersStore reads it as the intent, the usual
-- case after a push). What a record's write must store as its pushed resource, nil when what it writes
-- or what is stored stays right: '=' for a written one equal to the intent, and, when the intent changes
-- under a stored '=', the old intent in its place.
local function pushed_resource_to_store(written, intent, stored, stored_intent)
  if written then
    if written ~= '' and written == intent then return '=' end
    return nil
  end
  if stored == '=' and intent ~= stored_intent then return stored_intent end
  return nil
end
