-- (a) The reviewer's default queue: OPEN, IN_REVIEW, AWAITING_INFO by priority, first page of 50.
local lib = dofile((os.getenv("BENCH_LUA_DIR") or ".ci/bench") .. "/lib.lua")
wrk.body = [[{"query":"query Queue { reviewQueue(first: 50) { pageCount pageInfo { hasNextPage endCursor } nodes { id status priority reportCount umkmReportCount flags target targetKind platform { slug name } category { code label severity } createdAt updatedAt } } }"}]]
