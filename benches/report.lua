-- Shared by page.lua and submit.lua: counts responses that are not 2xx in every wrk
-- thread and prints one machine-readable summary line from done(), which benches/run
-- parses. wrk itself only counts statuses >= 400 ("Non-2xx or 3xx responses"); a
-- redirect (e.g. to the start page when a draft cookie is not accepted) is a failure
-- here too.
--
-- Printed by done():
--   CANDOUR requests=N duration_us=D rps=R p50_us=X p99_us=Y non2xx=K socket_errors=E statuses=201:N,...
--   CANDOUR first_error=STATUS BODY...   (only when some response was not 2xx)

local threads = {}

function setup(thread)
   table.insert(threads, thread)
   thread:set("thread_index", #threads)
end

-- Per-thread counters (globals, so that done() can read them with thread:get).
non2xx = 0
statuses = {}
first_error = nil

function response(status, headers, body)
   statuses[status] = (statuses[status] or 0) + 1
   if status < 200 or status > 299 then
      non2xx = non2xx + 1
      if first_error == nil then
         local text = tostring(body or ""):gsub("%s+", " ")
         first_error = tostring(status) .. " " .. text:sub(1, 300)
      end
   end
end

function done(summary, latency, requests)
   local total_non2xx, all, first = 0, {}, nil
   for _, thread in ipairs(threads) do
      total_non2xx = total_non2xx + (thread:get("non2xx") or 0)
      for status, count in pairs(thread:get("statuses") or {}) do
         all[status] = (all[status] or 0) + count
      end
      first = first or thread:get("first_error")
   end
   local codes = {}
   for status, _ in pairs(all) do table.insert(codes, status) end
   table.sort(codes)
   local parts = {}
   for _, status in ipairs(codes) do
      table.insert(parts, string.format("%d:%d", status, all[status]))
   end
   local e = summary.errors
   local socket_errors = e.connect + e.read + e.write + e.timeout
   local seconds = summary.duration / 1e6
   io.write(string.format(
      "CANDOUR requests=%d duration_us=%d rps=%.1f p50_us=%d p99_us=%d non2xx=%d socket_errors=%d statuses=%s\n",
      summary.requests, summary.duration, summary.requests / seconds,
      latency:percentile(50), latency:percentile(99), total_non2xx, socket_errors,
      #parts > 0 and table.concat(parts, ",") or "none"))
   if first ~= nil then
      io.write("CANDOUR first_error=" .. first .. "\n")
   end
end

