-- How many events an events stream entry holds, from its field/value list: the number its field 'g'
-- starts with (see log-codec.ts); one in the older formats ('u' and 'j' or 'z', or 'e').
local function entry_size(fields)
  if fields[3] == 'g' then return tonumber(string.match(fields[4], '^%d+')) end
  return 1
end
