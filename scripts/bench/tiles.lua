-- wrk script of the regiomap benchmark: cycles through a list of tiles.
--
--   wrk -t2 -c64 -d10s -s scripts/bench/tiles.lua http://127.0.0.1:PORT -- LIST PREFIX SUFFIX
--
-- LIST has one "z/x/y" per line; each request is GET PREFIX .. z/x/y .. SUFFIX
-- (e.g. "/tiles/" and ".mvt", or "/data/bench/" and ".pbf") with
-- Accept-Encoding: gzip over keep-alive connections. Every thread walks the
-- whole list from its own starting point. The summary is printed as one
-- JSON line (latencies in microseconds) after wrk's own report.

local threads = {}

function setup(thread)
    thread:set("thread_index", #threads)
    table.insert(threads, thread)
end

local requests = {}
local position = 0

function init(args)
    local list, prefix, suffix = args[1], args[2] or "/tiles/", args[3] or ".mvt"
    for line in io.lines(list) do
        if #line > 0 then
            requests[#requests + 1] = wrk.format("GET", prefix .. line .. suffix, {["Accept-Encoding"] = "gzip"})
        end
    end
    if #requests == 0 then
        error("no tiles in " .. list)
    end
    position = ((thread_index or 0) * math.floor(#requests / 2 + 0.5)) % #requests
end

function request()
    position = position % #requests + 1
    return requests[position]
end

function done(summary, latency, _)
    local e = summary.errors
    io.write(string.format(
        '{"requests":%d,"duration_us":%d,"bytes":%d,"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
        '"latency_us":{"mean":%.1f,"p50":%d,"p90":%d,"p99":%d,"max":%d}}\n',
        summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
        latency.mean, latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
