-- Shared by the wrk scenario scripts: POST /graphql with a JSON body, count GraphQL errors (a 200
-- response with "errors" in it) as well as HTTP and socket errors, and print one machine-readable
-- line that run.sh turns into the results table.
--
-- Environment: BENCH_TOKEN (Authorization: Bearer …, reviewer scenarios only).
--
-- Public scenarios call lib.client_address() for an X-Forwarded-For header: run.sh starts the server
-- with LAPORLAPAK_TRUST_PROXY=true, so every request comes from a different (random, RFC 6598)
-- address, like real traffic, and the per-address rate limits are exercised without being hit.

local lib = {}

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept-Language"] = "en"
local token = os.getenv("BENCH_TOKEN")
if token and token ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. token
end

local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("thread_id", counter)
  table.insert(threads, thread)
end

gql_errors = 0
status_errors = 0
sample = ""

function response(status, headers, body)
  if status ~= 200 then
    status_errors = status_errors + 1
    if sample == "" then sample = "HTTP " .. status .. " " .. string.sub(body or "", 1, 300) end
  elseif body and string.find(body, '"errors"', 1, true) then
    gql_errors = gql_errors + 1
    if sample == "" then sample = string.sub(body, 1, 300) end
  end
end

function done(summary, latency, requests)
  local gql, http, first = 0, 0, ""
  for _, thread in ipairs(threads) do
    gql = gql + thread:get("gql_errors")
    http = http + thread:get("status_errors")
    local s = thread:get("sample")
    if first == "" and s ~= nil then first = s end
  end
  local e = summary.errors
  local socket = e.connect + e.read + e.write + e.timeout
  local seconds = summary.duration / 1e6
  io.write(string.format("BENCH_RESULT|%d|%.1f|%.2f|%.2f|%.2f|%.2f|%d|%d|%d|%d\n",
    summary.requests, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000,
    gql + http + socket, gql, http, socket))
  if first ~= "" then
    io.write("BENCH_SAMPLE_ERROR|" .. string.gsub(first, "\n", " ") .. "\n")
  end
end

-- A random client address in 100.64.0.0/10.
function lib.client_address()
  return string.format("100.%d.%d.%d", 64 + math.random(0, 63), math.random(0, 255), math.random(1, 254))
end

-- wrk.headers plus `extra` (wrk.format replaces the headers, it does not merge them).
function lib.headers(extra)
  local h = {}
  for k, v in pairs(wrk.headers) do h[k] = v end
  for k, v in pairs(extra) do h[k] = v end
  return h
end

-- JSON string literal for the few values the scripts interpolate.
function lib.json_string(s)
  return '"' .. string.gsub(s, '[%c"\\]', function(c)
    return string.format("\\u%04x", string.byte(c))
  end) .. '"'
end

return lib
