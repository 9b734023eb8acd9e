-- Scenario (e): POST /v1/orders, one line of a random product from a list, a fresh
-- Idempotency-Key on every request. Counts the answers by status and prints them as
-- `status <code> <count>` lines for bench/wrk.mjs (409s are allowed once stock runs out).
--
-- wrk -s bench/lua/orders.lua <url> -- <product-ids-file> <bearer-token> <key-prefix> <seed>
-- The key prefix is random per wrk run (given by bench/run.mjs), the suffix a counter:
-- every key is new, across rounds and runs, without trusting Lua's random generator.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  products = {}
  for line in io.lines(args[1]) do
    if #line > 0 then
      products[#products + 1] = line
    end
  end
  headers = { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. args[2] }
  prefix = args[3]
  counter = 0
  statuses = {}
  math.randomseed(tonumber(args[4]))
end

function request()
  counter = counter + 1
  headers["Idempotency-Key"] = prefix .. "-" .. counter
  local body = '{"items":[{"productId":"' .. products[math.random(#products)] .. '","quantity":1}]}'
  return wrk.format("POST", "/v1/orders", headers, body)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    for code, count in pairs(thread:get("statuses")) do
      total[code] = (total[code] or 0) + count
    end
  end
  for code, count in pairs(total) do
    io.write(string.format("status %d %d\n", code, count))
  end
end
