-- make loadtest (bench/loadtest.py): bench/report.lua's JSON line, then a second one counting
-- the 4xx and 5xx responses of every thread.
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "report.lua")
local report = done

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  status_4xx, status_5xx = 0, 0
end

function response(status, headers, body)
  if status >= 500 then
    status_5xx = status_5xx + 1
  elseif status >= 400 then
    status_4xx = status_4xx + 1
  end
end

done = function(summary, latency, requests)
  report(summary, latency, requests)
  local client, server = 0, 0
  for _, thread in ipairs(threads) do
    client = client + thread:get("status_4xx")
    server = server + thread:get("status_5xx")
  end
  io.write(string.format('{"status_4xx": %d, "status_5xx": %d}\n', client, server))
end
