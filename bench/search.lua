-- wrk script for the search benchmark (bench/search): GET /api/v1/employees?q=
-- with the queries of BENCH_QUERIES (one URL-encoded query a line), each
-- connection walking the list from its own offset, with the web token in
-- BENCH_TOKEN. Prints the same "BENCH_JSON {...}" line as plain.lua.
local queries = {}
for line in io.lines(os.getenv("BENCH_QUERIES")) do
  if #line > 0 then queries[#queries + 1] = line end
end
local auth = "Bearer " .. os.getenv("BENCH_TOKEN")
local threads, counter = {}, 0

function setup(thread)
  counter = counter + 1
  thread:set("tid", counter)
  table.insert(threads, thread)
end

statuses = {}
local n = 0

function request()
  n = n + 1
  local q = queries[((tid or 1) * 7919 + n) % #queries + 1]
  return wrk.format("GET", "/api/v1/employees?limit=20&q=" .. q, {["Authorization"] = auth})
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
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
      .. '"latency_ms":{"p50":%.3f,"p90":%.3f,"p99":%.3f,"p999":%.3f,"mean":%.3f,"max":%.3f},"bytes":%d}\n',
    summary.requests, secs, summary.requests / secs, ok, non2xx, table.concat(parts, ","),
    e.connect, e.read, e.write, e.timeout, e.connect + e.read + e.write + e.timeout,
    ms(50), ms(90), ms(99), ms(99.9), latency.mean / 1000, latency.max / 1000, summary.bytes))
end
