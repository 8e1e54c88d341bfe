-- wrk script for the baseline GET (bench/run: GET /healthz of the same server).
-- Counts statuses per thread; done() prints the same "BENCH_JSON {...}" line
-- as checkin.lua, so both phases are read the same way.
local report = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "report.lua")
report.install()
