-- wrk script for scripts/soak: cycles through a mix of tiles, feature pages,
-- search and static files, and counts answers by status class. A response
-- that is not 2xx/3xx (204 and 304 included) is an error.
local paths = {}
local counts = {}

local function add(path) paths[#paths + 1] = path end

init = function(args)
  -- Tiles z8-z14 over Beichen (around 117.15 E, 39.25 N), every collection.
  for z = 8, 14 do
    local n = 2 ^ z
    local cx = math.floor((117.15 + 180) / 360 * n)
    local lat = math.rad(39.25)
    local cy = math.floor((1 - math.log(math.tan(lat) + 1 / math.cos(lat)) / math.pi) / 2 * n)
    for dx = -2, 2 do
      for dy = -1, 1 do
        add(string.format("/tiles/%d/%d/%d.mvt", z, cx + dx, cy + dy))
      end
    end
  end
  for _, c in ipairs({"industry", "transport_lines", "boundaries", "rural"}) do
    add("/collections/" .. c .. "/items?limit=100")
    add("/collections/" .. c .. "/items?limit=5&offset=2")
    add("/collections/" .. c .. "/items?bbox=117.0,39.1,117.3,39.3")
  end
  add("/search?q=%E7%BB%BF%E5%9C%B0")
  add("/search?q=road")
  add("/collections")
  add("/tiles.json")
  add("/styles/beichen.json")
  add("/")
  add("/api")
end

local i = 0
request = function()
  i = i + 1
  local path = paths[(i % #paths) + 1]
  return wrk.format("GET", path, {["Accept-Encoding"] = "gzip", ["Accept"] = "*/*"})
end

response = function(status, headers, body)
  local class = math.floor(status / 100)
  counts[class] = (counts[class] or 0) + 1
end

done = function(summary, latency, requests)
  io.write(string.format("soak-requests %d\n", summary.requests))
  io.write(string.format("soak-non-2xx-3xx %d\n", summary.errors.status))
  io.write(string.format("soak-socket-errors %d\n", summary.errors.connect + summary.errors.read +
                         summary.errors.write + summary.errors.timeout))
  io.write(string.format("soak-p50-ms %.2f\nsoak-p99-ms %.2f\n", latency:percentile(50) / 1000,
                         latency:percentile(99) / 1000))
end
