-- wrk script: POST whole responses as JSON through invitation tokens, each token once.
--
--   CANDOUR_PAYLOADS=/tmp/payloads.lua CANDOUR_TOKENS=/tmp/tokens.txt \
--   CANDOUR_TOKEN_FIRST=1 CANDOUR_TOKEN_COUNT=60000 \
--     wrk -t1 -c32 -d10s --latency -s benches/invited.lua \
--     http://127.0.0.1:PORT/api/v1/surveys/SLUG/responses
--
-- CANDOUR_TOKENS holds one token per line (from the /i/{token} links in the invitation
-- mail); this run uses lines FIRST to FIRST+COUNT-1, in order (so wrk must run one thread).
-- Bodies come from make_payloads.py, round-robin, with "token" added. A run that uses up
-- its tokens sends the last one again: the server answers 409, counted as an error by
-- report.lua, and done() says how many requests had no fresh token.

local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(dir .. "report.lua")

local function fail(message)
   io.stderr:write("invited.lua: " .. message .. "\n")
   os.exit(2)
end

local payload_file = os.getenv("CANDOUR_PAYLOADS") or ""
local token_file = os.getenv("CANDOUR_TOKENS") or ""
if payload_file == "" or token_file == "" then
   fail("set CANDOUR_PAYLOADS (make_payloads.py) and CANDOUR_TOKENS (one token a line)")
end
local bodies = dofile(payload_file)
if type(bodies) ~= "table" or #bodies == 0 then fail(payload_file .. " holds no bodies") end
local first = tonumber(os.getenv("CANDOUR_TOKEN_FIRST") or "1")
local count = tonumber(os.getenv("CANDOUR_TOKEN_COUNT") or "0")

local headers = { ["Content-Type"] = "application/json", ["Accept"] = "application/json" }
local tokens = {}
local position = 1
-- Requests sent without a fresh token (global, so that done() can read it).
exhausted = 0

local counted = {}
local report_setup = setup
function setup(thread)
   report_setup(thread)
   table.insert(counted, thread)
end

function init(args)
   -- One thread takes the tokens in order; with more, two could take the same one.
   if (thread_index or 1) > 1 then fail("run wrk with -t1") end
   local line_number = 0
   for line in io.lines(token_file) do
      line_number = line_number + 1
      if line_number >= first and (count == 0 or line_number < first + count) then
         table.insert(tokens, line)
      end
   end
   if #tokens == 0 then fail("no tokens from line " .. first .. " of " .. token_file) end
end

function request()
   local token = tokens[position]
   if position < #tokens then
      position = position + 1
   else
      exhausted = exhausted + 1
   end
   local body = bodies[position % #bodies + 1]
   -- Every body is a JSON object: the token goes in front of its first member.
   return wrk.format("POST", wrk.path, headers, '{"token":"' .. token .. '",' .. body:sub(2))
end

local report_done = done
function done(summary, latency, requests)
   report_done(summary, latency, requests)
   local total = 0
   for _, thread in ipairs(counted) do total = total + (thread:get("exhausted") or 0) end
   io.write(string.format("CANDOUR tokens_exhausted=%d\n", total))
end
