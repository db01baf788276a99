-- Gate-result ingest for wrk: each request posts a batch of 50 results to
-- the next train in flight (TRAINS="name=svc,svc name=svc"), as CI does.
local trains = {}
for pair in string.gmatch(os.getenv("TRAINS") or "", "%S+") do
  local name, services = string.match(pair, "([^=]+)=(.*)")
  local list = {}
  for s in string.gmatch(services, "[^,]+") do table.insert(list, s) end
  table.insert(trains, { name = name, services = list })
end
local token = os.getenv("TOKEN")
local metrics = { "quality_score", "coverage", "failure_rate", "critical_vulns" }
local counter = 0

request = function()
  counter = counter + 1
  local train = trains[(counter % #trains) + 1]
  local results = {}
  for i = 1, 50 do
    local service = train.services[(i % #train.services) + 1]
    local metric = metrics[(i % #metrics) + 1]
    table.insert(results, string.format('{"participant":"%s","gate":"%s","value":%d}', service, metric, 80 + (i + counter) % 20))
  end
  local body = '{"results":[' .. table.concat(results, ",") .. ']}'
  return wrk.format("POST", "/api/v1/release-trains/" .. train.name .. "/gate-results",
    { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }, body)
end
