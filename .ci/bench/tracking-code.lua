-- (c) Public status lookups by tracking code, picked at random from BENCH_CODES (one code per line,
-- existing complaints sampled by run.sh).
local lib = dofile((os.getenv("BENCH_LUA_DIR") or ".ci/bench") .. "/lib.lua")
local codes = {}

function init(args)
  for line in io.lines(os.getenv("BENCH_CODES")) do
    if line ~= "" then codes[#codes + 1] = line end
  end
  math.randomseed(os.time() + 7919 * (thread_id or 0))
end

local query = "query Track($code: String!) { complaintByTrackingCode(code: $code) { trackingCode status category { code label } platform { slug name } submittedAt updatedAt timeline { status at note } messages { from body at } } }"

function request()
  local code = codes[math.random(#codes)]
  return wrk.format(nil, nil, lib.headers({ ["X-Forwarded-For"] = lib.client_address() }),
    '{"query":' .. lib.json_string(query) .. ',"variables":{"code":' .. lib.json_string(code) .. '}}')
end
