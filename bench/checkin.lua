-- wrk script: the morning rush of mobile check-ins (bench/run drives it).
--
-- Every request is a different employee: the next line of this thread's slice of
-- the token file (TOKEN<TAB>DEVICE_ID, from `eoffice bench-tokens`), sent as a
-- multipart POST /mobile/v1/presensi/check-in with a 60-100 KB JPEG, a position
-- inside the bench geofence and device_time = now, exactly as the app sends it
-- (Authorization: Bearer, X-App-Version, Idempotency-Key). When a thread has used
-- its whole slice it goes round again with /check-out (the last check-out wins,
-- so repeats stay 200): a run never causes 409s by itself.
--
-- Each photo gets a distinct JPEG comment segment (FF FE) right after SOI, so
-- every selfie has its own content address, as real selfies do; the bytes are
-- otherwise the same picture. The body is built once in init() as fixed pieces;
-- a request only concatenates them with its comment, time and device id.
--
-- Environment (set by bench/run):
--   BENCH_TOKENS   token file                 BENCH_PHOTO  JPEG file
--   BENCH_THREADS  wrk -t value (slicing)     BENCH_RUN    short id, unique per run/phase
--   BENCH_LAT, BENCH_LON  position to send (inside the geofence)
--   BENCH_IDEMPOTENCY     1 (default): send an Idempotency-Key like the app; 0: don't
--   BENCH_APP_VERSION     X-App-Version (default 1.0.0)
-- done() prints one line: "BENCH_JSON {...}" with latency percentiles (ms), rps,
-- statuses, non-2xx and socket errors.

local report = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "report.lua")
report.install(function(threads)
  local ins, outs = 0, 0
  for _, t in ipairs(threads) do
    ins = ins + (t:get("sent_in") or 0)
    outs = outs + (t:get("sent_out") or 0)
  end
  return string.format(',"sent_check_in":%d,"sent_check_out":%d', ins, outs)
end)

-- ---------------------------------------------------------------- per thread
local function env(name, default)
  local v = os.getenv(name)
  if v == nil or v == "" then
    if default == nil then error("checkin.lua: " .. name .. " is not set") end
    return default
  end
  return v
end

local function read_all(path)
  local f = assert(io.open(path, "rb"))
  local data = f:read("*a")
  f:close()
  return data
end

local tokens, devices = {}, {}
local n, idx, pass, calls = 0, 0, 0, 0
local head_in, head_out, p1, p2, p3, p4, fixed_len
local run, idem, app_version
sent_in, sent_out = 0, 0

function init(args)
  local nthreads = tonumber(env("BENCH_THREADS"))
  run = env("BENCH_RUN")
  idem = env("BENCH_IDEMPOTENCY", "1") ~= "0"
  app_version = env("BENCH_APP_VERSION", "1.0.0")

  -- This thread's slice: lines [from, to] of the token file.
  local all = {}
  for line in io.lines(env("BENCH_TOKENS")) do
    if #line > 0 then all[#all + 1] = line end
  end
  local from = math.floor(#all * (tid - 1) / nthreads) + 1
  local to = math.floor(#all * tid / nthreads)
  for i = from, to do
    local tok, dev = all[i]:match("^([^\t]+)\t([^\t]+)$")
    assert(tok, "checkin.lua: bad token line " .. i)
    n = n + 1
    tokens[n], devices[n] = tok, dev
  end
  assert(n > 0, "checkin.lua: thread " .. tid .. " got no tokens (fewer employees than threads?)")

  local photo = read_all(env("BENCH_PHOTO"))
  assert(photo:sub(1, 3) == "\255\216\255", "checkin.lua: BENCH_PHOTO is not a JPEG")
  local lat, lon = env("BENCH_LAT"), env("BENCH_LON")

  local b = "eofficebench" .. run
  local function field(name, value)
    return "--" .. b .. "\r\nContent-Disposition: form-data; name=\"" .. name .. "\"\r\n\r\n" .. value .. "\r\n"
  end
  -- body = p1 .. comment(24) .. p2 .. device_time(20) .. p3 .. device_id .. p4
  p1 = field("latitude", lat) .. field("longitude", lon) .. field("accuracy", "12.5")
    .. field("mock_location", "false")
    .. "--" .. b .. "\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"selfie.jpg\"\r\n"
    .. "Content-Type: image/jpeg\r\n\r\n"
    .. "\255\216" .. "\255\254" .. string.char(0, 26)      -- SOI, COM marker, length 2 + 24
  p2 = photo:sub(3) .. "\r\n"
    .. "--" .. b .. "\r\nContent-Disposition: form-data; name=\"device_time\"\r\n\r\n"
  p3 = "\r\n--" .. b .. "\r\nContent-Disposition: form-data; name=\"device_id\"\r\n\r\n"
  p4 = "\r\n--" .. b .. "--\r\n"
  fixed_len = #p1 + 24 + #p2 + 20 + #p3 + #p4

  local host = "Host: " .. wrk.host .. ":" .. (wrk.port or "80") .. "\r\n"
  local common = host .. "X-App-Version: " .. app_version .. "\r\n"
    .. "Content-Type: multipart/form-data; boundary=" .. b .. "\r\n"
  head_in = "POST /mobile/v1/presensi/check-in HTTP/1.1\r\n" .. common
  head_out = "POST /mobile/v1/presensi/check-out HTTP/1.1\r\n" .. common
end

local last_sec, device_time = -1, ""

function request()
  calls = calls + 1
  -- wrk calls request() once on thread 1 before the run only to check the
  -- request's syntax; that one is never sent, so it must not use up an employee.
  local verify = (tid == 1 and calls == 1)
  local i = idx + 1
  local now = os.time()
  if now ~= last_sec then
    last_sec, device_time = now, os.date("!%Y-%m-%dT%H:%M:%SZ", now)
  end
  local seq = pass * n + i
  local comment = string.format("%-8.8s%04x%012x", run, tid, seq)
  local dev = devices[i]
  local head = pass == 0 and head_in or head_out
  local key = idem and ("Idempotency-Key: bench-" .. run .. "-" .. tid .. "-" .. seq .. "\r\n") or ""
  if not verify then
    if pass == 0 then sent_in = sent_in + 1 else sent_out = sent_out + 1 end
    idx = i
    if idx == n then idx, pass = 0, pass + 1 end
  end
  return head .. "Authorization: Bearer " .. tokens[i] .. "\r\n" .. key
    .. "Content-Length: " .. (fixed_len + #dev) .. "\r\n\r\n"
    .. p1 .. comment .. p2 .. device_time .. p3 .. dev .. p4
end
