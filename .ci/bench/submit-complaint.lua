-- (d) Anonymous submissions, each about a new random Instagram post (so most open a new case).
local lib = dofile((os.getenv("BENCH_LUA_DIR") or ".ci/bench") .. "/lib.lua")
local n = 0

function init(args)
  math.randomseed(os.time() + 104729 * (thread_id or 0))
end

local query = "mutation Submit($i: SubmitComplaintInput!) { submitComplaint(input: $i) { trackingCode joinedExistingCase complaint { id status } } }"

function request()
  n = n + 1
  local url = string.format("https://www.instagram.com/p/BENCH%d%09d%d/", thread_id or 0, math.random(999999999), n)
  return wrk.format(nil, nil, lib.headers({ ["X-Forwarded-For"] = lib.client_address() }),
    '{"query":' .. lib.json_string(query) .. ',"variables":{"i":{' ..
    '"category":"USED_CLOTHING_IMPORT",' ..
    '"listingUrl":' .. lib.json_string(url) .. ',' ..
    '"description":"Akun ini menjual pakaian bekas dari luar negeri dengan harga sangat murah.",' ..
    '"province":"Jawa Barat","anonymous":true}}}')
end
