-- (e) The public transparency report (all time): per-platform compliance and per-category counts.
local lib = dofile((os.getenv("BENCH_LUA_DIR") or ".ci/bench") .. "/lib.lua")
local body = [[{"query":"query Report { transparencyReport { platforms { platform { slug } requestsIssued answered overdue medianHoursToAnswer p90HoursToAnswer complianceRate } categories { complaints } } }"}]]

function init(args)
  math.randomseed(os.time() + 15485863 * (thread_id or 0))
end

function request()
  return wrk.format(nil, nil, lib.headers({ ["X-Forwarded-For"] = lib.client_address() }), body)
end
