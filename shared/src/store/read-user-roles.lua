-- Each user's role ids, space-separated, in the order given.
local replies = {}
for i, user in ipairs(ARGV) do
  replies[i] = table.concat(roles_of(KEYS[2 * i - 1], KEYS[2 * i], user), ' ')
end
return replies
