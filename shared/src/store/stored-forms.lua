-- How a script reads and writes what the stores encode (task-codec.ts, AppUsersStore).

-- The status of a task as stored: a done task is its status's code (DONE_TASK_STATUS, put before this
-- file; before, its status and a space) and its deflated JSON; any other is its JSON, the status its
-- first key (read without decoding; a task stored before that is decoded). '' for no task.
local function stored_task_status(raw)
  if not raw then return '' end
  return DONE_TASK_STATUS[string.sub(raw, 1, 1)] or string.match(raw, '^(%l+) ') or string.match(raw, '^{"status":"(%l+)"') or cjson.decode(raw).status
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

-- An app user's record (app-user-form.ts): fields under short names, `F.<name>` (RECORD_FORM_LUA, put
-- before this file), its user id its key's (`<app>:au:<user id>`, see keys.ts); a resource's JSON with
-- the core user's opening as CORE_USER_MARK and the user id's JSON string as USER_ID_MARK.
local function record_user_id(hash)
  return string.match(hash, '}:au:(.*)$')
end

local function resource_json(stored, user_id)
  if string.sub(stored, 1, 1) == CORE_USER_MARK then stored = CORE_USER .. string.sub(stored, 2) end
  local id_json = string.gsub(cjson.encode(user_id), '%%', '%%%%')
  return (string.gsub(stored, USER_ID_MARK, id_json))
end

-- Rewrites a record stored under the long field names (it has `userId`) in the short names' form, its
-- empty fields left out (see write_record).
local function migrate_record(hash)
  local flat = redis.call('HGETALL', hash)
  local fields = {}
  for i = 1, #flat, 2 do
    local name, value = F[flat[i]] or flat[i], flat[i + 1]
    if (name == F.intentResource or name == F.pushedResource)
        and string.sub(value, 1, #CORE_USER) == CORE_USER then
      value = CORE_USER_MARK .. string.sub(value, #CORE_USER + 1)
    end
    if value ~= '' then
      fields[#fields + 1] = name
      fields[#fields + 1] = value
    end
  end
  redis.call('DEL', hash)
  redis.call('HSET', hash, unpack(fields))
end

-- The stored names a list of names reads, built once per list (a script reads with the same few lists).
local stored_names_of = {}

-- The named fields of a record, by their long names (false when absent), in `into` when given (a table
-- a loop reads every record into, made once); a record in the form of before is rewritten first.
-- `userId` is the key's when the record exists (it has a revision; records written before store it).
local function read_record(hash, names, into)
  local stored = stored_names_of[names]
  if not stored then
    stored = {}
    for i, name in ipairs(names) do stored[i] = F[name] end
    stored[#stored + 1] = F.rev
    stored[#stored + 1] = 'userId'
    stored_names_of[names] = stored
  end
  local values = redis.call('HMGET', hash, unpack(stored))
  if values[#values] then
    migrate_record(hash)
    values = redis.call('HMGET', hash, unpack(stored))
  end
  local fields = into or {}
  for i, name in ipairs(names) do fields[name] = values[i] end
  if not fields.userId and values[#values - 1] then fields.userId = record_user_id(hash) end
  return fields
end

-- Writes a record's fields (name/value pairs; of a name written twice, the last value): a field whose
-- value is empty is removed rather than stored empty, as a missing field reads as empty. The user id is
-- not stored: the key holds it.
local function write_record(hash, fields)
  local last = {}
  for i = 1, #fields, 2 do last[fields[i]] = fields[i + 1] end
  last[F.userId] = nil
  local set, cleared = {}, {}
  for name, value in pairs(last) do
    if value == '' then
      cleared[#cleared + 1] = name
    else
      set[#set + 1] = name
      set[#set + 1] = value
    end
  end
  if #set > 0 then redis.call('HSET', hash, unpack(set)) end
  if #cleared > 0 then redis.call('HDEL', hash, unpack(cleared)) end
end
