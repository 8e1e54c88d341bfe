-- wrk script for the baseline GET (bench/run: GET /healthz of the same server).
-- Counts statuses per thread; done() prints the same "BENCH_JSON {...}" line
-- as checkin.lua, so both phases are read the same way.
local report = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "report.lua")
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

statuses = {}

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  report.done(threads, summary, latency)
end
