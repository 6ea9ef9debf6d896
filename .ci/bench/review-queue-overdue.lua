-- (b) The overdue view: non-final cases whose takedown request is unanswered past its deadline.
local lib = dofile((os.getenv("BENCH_LUA_DIR") or ".ci/bench") .. "/lib.lua")
wrk.body = [[{"query":"query Overdue { reviewQueue(first: 50, filter: {overdue: true}) { pageCount pageInfo { hasNextPage endCursor } nodes { id status priority reportCount umkmReportCount flags target targetKind platform { slug name } category { code label severity } createdAt updatedAt } } }"}]]
