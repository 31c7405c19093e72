-- wrk script for bench/load.py: every thread walks a list of request paths (one per line in the file
-- named after `--`), starting at its own offset so threads do not hit the same page in lockstep, counts
-- responses by status class (wrk's own summary lumps 4xx and 5xx together and hides 3xx), and done()
-- prints one JSON line prefixed "WRK_JSON " so the harness never parses wrk's human-readable report.

local threads = {}
local counter = 0

function setup(thread)
   counter = counter + 1
   thread:set("id", counter)
   table.insert(threads, thread)
end

function init(args)
   paths = {}
   for line in io.lines(args[1]) do
      if #line > 0 then
         paths[#paths + 1] = line
      end
   end
   if #paths == 0 then
      error("no request paths in " .. tostring(args[1]))
   end
   i = (id * 7919) % #paths -- a prime stride: distinct, spread-out starting points
   s2, s3, s4, s5 = 0, 0, 0, 0
end

function request()
   i = i % #paths + 1
   return wrk.format("GET", paths[i])
end

function response(status, headers, body)
   if status < 300 then
      s2 = s2 + 1
   elseif status < 400 then
      s3 = s3 + 1
   elseif status < 500 then
      s4 = s4 + 1
   else
      s5 = s5 + 1
   end
end

local function total(name)
   local n = 0
   for _, thread in ipairs(threads) do
      n = n + (thread:get(name) or 0)
   end
   return n
end

function done(summary, latency, requests)
   local e = summary.errors
   local out = string.format(
      '{"requests": %d, "duration_us": %d, "bytes": %d, ' ..
      '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
      '"status": {"2xx": %d, "3xx": %d, "4xx": %d, "5xx": %d}, ' ..
      '"latency_us": {"p50": %.0f, "p90": %.0f, "p99": %.0f, "mean": %.0f, "max": %.0f}}',
      summary.requests, summary.duration, summary.bytes,
      e.connect, e.read, e.write, e.status, e.timeout,
      total("s2"), total("s3"), total("s4"), total("s5"),
      latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.mean, latency.max)
   io.write("WRK_JSON " .. out .. "\n")
end
