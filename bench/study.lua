-- wrk script: the study session, many learners each marking a resource, then reading that
-- resource's topic page, then their home page. Run with as many threads as connections (one
-- connection per thread), so each learner's three requests go in order on one connection and
-- each read follows the learner's own write. Arguments after `--`:
--   MODE  THREADS  CSRF_TOKEN  SESSION_COOKIE_NAME  CSRF_COOKIE_NAME  KEY1,KEY2,...
--   SLUG1:TOPIC1,SLUG2:TOPIC2,...  [FIRST_VISIT]
-- MODE "study" sends the sequence; MODE "floor" sends GET /_floor/ with the same rotation of
-- learners' cookies (the signed-in floor the study session is compared with).
-- Thread t takes learners t, t + THREADS, ... in turn. Learner i's visit r marks resource
-- (i + r) mod n: completed on the first pass through the n resources, in progress on the
-- second, completed on the third, ... (`study_mark` in run.py); after `bench/tasks.py reset`
-- (no rows on these resources) every mark is a real change. Visits count from FIRST_VISIT
-- (default 0): run.py makes each learner's first visit itself.
local function split(text, separator)
  local items = {}
  for item in string.gmatch(text, "[^" .. separator .. "]+") do table.insert(items, item) end
  return items
end

local threads = {}

setup = function(thread)
  table.insert(threads, thread)
  thread:set("id", #threads - 1)
end

local mode, token, session_cookie, csrf_cookie, origin
local learners, resources = {}, {}
local current, step = 1, 0

init = function(args)
  mode, token, session_cookie, csrf_cookie = args[1], args[3], args[4], args[5]
  local thread_count = tonumber(args[2])
  local keys = split(args[6], ",")
  local first_visit = tonumber(args[8] or "0")
  for index = id + 1, #keys, thread_count do
    table.insert(learners, {number = index - 1, key = keys[index], visits = first_visit})
  end
  for _, pair in ipairs(split(args[7], ",")) do
    local slug_and_topic = split(pair, ":")
    table.insert(resources, {slug = slug_and_topic[1], topic = slug_and_topic[2]})
  end
  origin = wrk.scheme .. "://" .. wrk.host .. ":" .. wrk.port
  marks_sent = 0
end

local function cookie_of(learner)
  return session_cookie .. "=" .. learner.key .. "; " .. csrf_cookie .. "=" .. token
end

local function mark(learner, resource, status)
  local topic_path = "/topics/" .. resource.topic .. "/"
  -- What htmx sends for the card's button: the form's fields, the token from <body hx-headers>.
  local headers = {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = cookie_of(learner),
    ["X-CSRFToken"] = token,
    ["HX-Request"] = "true",
    ["HX-Current-URL"] = origin .. topic_path,
    ["HX-Target"] = "resource-" .. resource.slug,
  }
  local body = "csrfmiddlewaretoken=" .. token .. "&status=" .. status ..
    "&next=" .. topic_path:gsub("/", "%%2F")
  marks_sent = marks_sent + 1
  return wrk.format("POST", "/progress/resources/" .. resource.slug .. "/status/", headers, body)
end

local function get(learner, path)
  return wrk.format("GET", path, {["Cookie"] = cookie_of(learner)})
end

request = function()
  local learner = learners[current]
  if mode == "floor" then
    current = current % #learners + 1
    return get(learner, "/_floor/")
  end
  local resource = resources[(learner.number + learner.visits) % #resources + 1]
  step = step + 1
  if step == 1 then
    local pass = math.floor(learner.visits / #resources)
    return mark(learner, resource, pass % 2 == 0 and "completed" or "in_progress")
  elseif step == 2 then
    return get(learner, "/topics/" .. resource.topic .. "/")
  end
  step, current = 0, current % #learners + 1
  learner.visits = learner.visits + 1
  return get(learner, "/")
end

-- The closing report is report.lua's, beside this file, and then how many marks were sent.
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "report.lua")
local report = done
done = function(summary, latency, requests)
  report(summary, latency, requests)
  local sent = 0
  for _, thread in ipairs(threads) do sent = sent + thread:get("marks_sent") end
  io.write(string.format('BENCH-EXTRA {"marks_sent": %d}\n', sent))
end
