-- The one report of the bench/ wrk scripts, loaded by each of them with
--   local report = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "report.lua")
-- report.done(threads, summary, latency, extra) sums every thread's global
-- `statuses` table ({[status] = count}, filled by the script's response()) and
-- writes one line: BENCH_JSON {requests, duration_s, rps, ok, non2xx, statuses,
-- socket_errors, latency_ms (p50 p90 p99 p999 mean max), [extra,] bytes}.
-- extra (optional) is more JSON members, each with its leading comma.
--
-- report.install(extra) defines the wrk callbacks every script shares:
-- setup() numbers the threads (global `tid` 1, 2, ... in each), response()
-- counts the statuses, done() writes the line; extra (optional) is a function
-- of the threads returning the extra members. A script then only adds request().
local M = {}

function M.install(extra)
  local threads, counter = {}, 0
  function setup(thread)
    counter = counter + 1
    thread:set("tid", counter)
    table.insert(threads, thread)
  end
  statuses = {}
  function response(status, headers, body)
    statuses[status] = (statuses[status] or 0) + 1
  end
  function done(summary, latency, requests)
    M.done(threads, summary, latency, extra and extra(threads))
  end
end

function M.done(threads, summary, latency, extra)
  local st = {}
  for _, t in ipairs(threads) do
    for code, c in pairs(t:get("statuses") or {}) do
      st[tonumber(code)] = (st[tonumber(code)] or 0) + c
    end
  end
  local parts, non2xx, ok = {}, 0, 0
  for code, c in pairs(st) do
    parts[#parts + 1] = string.format('"%d":%d', code, c)
    if code >= 200 and code < 300 then ok = ok + c else non2xx = non2xx + c end
  end
  table.sort(parts)
  local e = summary.errors
  local secs = summary.duration / 1e6
  local function ms(p) return latency:percentile(p) / 1000 end
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"duration_s":%.3f,"rps":%.2f,"ok":%d,"non2xx":%d,"statuses":{%s},'
      .. '"socket_errors":{"connect":%d,"read":%d,"write":%d,"timeout":%d,"total":%d},'
      .. '"latency_ms":{"p50":%.3f,"p90":%.3f,"p99":%.3f,"p999":%.3f,"mean":%.3f,"max":%.3f}%s,"bytes":%d}\n',
    summary.requests, secs, summary.requests / secs, ok, non2xx, table.concat(parts, ","),
    e.connect, e.read, e.write, e.timeout, e.connect + e.read + e.write + e.timeout,
    ms(50), ms(90), ms(99), ms(99.9), latency.mean / 1000, latency.max / 1000, extra or "", summary.bytes))
end

return M
