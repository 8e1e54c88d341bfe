-- wrk script for the search benchmark (bench/search): GET /api/v1/employees?q=
-- with the queries of BENCH_QUERIES (one URL-encoded query a line), each
-- connection walking the list from its own offset, with the web token in
-- BENCH_TOKEN. Prints the same "BENCH_JSON {...}" line as plain.lua.
local queries = {}
for line in io.lines(os.getenv("BENCH_QUERIES")) do
  if #line > 0 then queries[#queries + 1] = line end
end
local auth = "Bearer " .. os.getenv("BENCH_TOKEN")
local report = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "report.lua")
report.install()

local n = 0

function request()
  n = n + 1
  local q = queries[((tid or 1) * 7919 + n) % #queries + 1]
  return wrk.format("GET", "/api/v1/employees?limit=20&q=" .. q, {["Authorization"] = auth})
end

