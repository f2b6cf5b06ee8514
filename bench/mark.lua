-- wrk script: the HTMX "mark completed" POST as a closed loop. Arguments after `--`:
--   CSRF_TOKEN  SESSION_COOKIE_NAME  CSRF_COOKIE_NAME  KEY1,KEY2,...  SLUG1,SLUG2,...
-- Requests rotate over the learners; each learner goes through the slugs marking them
-- completed, then in progress, then completed again, so every request is a real change.
local function split(text)
  local items = {}
  for item in string.gmatch(text, "[^,]+") do table.insert(items, item) end
  return items
end

local token, session_cookie, csrf_cookie, keys, slugs
local counter = 0

init = function(args)
  token, session_cookie, csrf_cookie = args[1], args[2], args[3]
  keys, slugs = split(args[4]), split(args[5])
end

request = function()
  local learner = counter % #keys
  local round = math.floor(counter / #keys)
  local slug = slugs[(round % #slugs) + 1]
  local status = (math.floor(round / #slugs) % 2 == 0) and "completed" or "in_progress"
  counter = counter + 1
  local headers = {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = session_cookie .. "=" .. keys[learner + 1] .. "; " .. csrf_cookie .. "=" .. token,
    ["X-CSRFToken"] = token,
    ["HX-Request"] = "true",
  }
  return wrk.format("POST", "/progress/resources/" .. slug .. "/status/", headers, "status=" .. status)
end
-- The closing report is report.lua's, beside this file.
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "report.lua")
