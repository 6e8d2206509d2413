-- wrk script: GET one section page of a started (draft) response.
--
--   CANDOUR_COOKIES="candour_draft=AAA candour_draft=BBB ..." \
--     wrk -t1 -c32 -d10s --latency -s benches/page.lua http://127.0.0.1:PORT/s/SLUG/page/2
--
-- CANDOUR_COOKIES holds one or more space-separated cookie pairs (name=value), one per
-- draft; requests use them round-robin. Any response that is not 2xx (a redirect
-- included) is counted and reported by done().

local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(dir .. "report.lua")

local cookies = {}
for pair in (os.getenv("CANDOUR_COOKIES") or ""):gmatch("%S+") do
   table.insert(cookies, pair)
end
if #cookies == 0 then
   io.stderr:write("page.lua: set CANDOUR_COOKIES to at least one candour_draft=... pair\n")
   os.exit(2)
end

local prepared = {}
local next_index = 1

function init(args)
   for i, cookie in ipairs(cookies) do
      prepared[i] = wrk.format("GET", wrk.path, { ["Cookie"] = cookie })
   end
   next_index = ((thread_index or 1) - 1) % #prepared + 1
end

function request()
   local req = prepared[next_index]
   next_index = next_index % #prepared + 1
   return req
end
