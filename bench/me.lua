-- wrk script for the authenticated read: GET /api/v1/me with the bench tokens,
-- each connection the next token of the file (so the session cache holds many
-- sessions, as in a real morning); same BENCH_JSON line as plain.lua.
local tokens = {}
for line in io.lines(os.getenv("BENCH_TOKENS")) do
  local tok = line:match("^([^\t]+)")
  if tok then tokens[#tokens + 1] = tok end
end
local report = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "report.lua")
report.install()

local n = 0

function request()
  n = n + 1
  local tok = tokens[((tid or 1) * 7919 + n) % #tokens + 1]
  return wrk.format("GET", "/api/v1/me", {["Authorization"] = "Bearer " .. tok})
end
