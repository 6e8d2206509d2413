-- wrk script: POST whole responses as JSON, round-robin over generated bodies.
--
--   benches/make_payloads.py config/questionnaires/safeguarding-frontline.toml -o /tmp/payloads.lua
--   CANDOUR_PAYLOADS=/tmp/payloads.lua \
--     wrk -t1 -c32 -d10s --latency -s benches/submit.lua \
--     http://127.0.0.1:PORT/api/v1/surveys/SLUG/responses
--
-- Any response that is not 2xx (201 expected) is counted and reported by done(), with
-- the first error body, so a run that stores nothing cannot pass for a fast one.

local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(dir .. "report.lua")

local file = os.getenv("CANDOUR_PAYLOADS")
if file == nil or file == "" then
   io.stderr:write("submit.lua: set CANDOUR_PAYLOADS to a file written by make_payloads.py\n")
   os.exit(2)
end
local bodies = dofile(file)
if type(bodies) ~= "table" or #bodies == 0 then
   io.stderr:write("submit.lua: " .. file .. " holds no bodies\n")
   os.exit(2)
end

local prepared = {}
local next_index = 1

function init(args)
   local headers = { ["Content-Type"] = "application/json", ["Accept"] = "application/json" }
   for i, body in ipairs(bodies) do
      prepared[i] = wrk.format("POST", wrk.path, headers, body)
   end
   -- Threads start at different bodies.
   next_index = ((thread_index or 1) - 1) * 97 % #prepared + 1
end

function request()
   local req = prepared[next_index]
   next_index = next_index % #prepared + 1
   return req
end
