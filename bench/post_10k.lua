-- wrk script: POST a ~10 KiB JSON document (same bytes on every request).
-- Used by bench/run.py and bench/server_choice.py for the echo workloads.
local parts = {}
local size = 2 -- the surrounding {"items":[ ... ]} is added below
local i = 0
while size < 10200 do
  local item = string.format(
    '{"id":%d,"name":"item-%05d","tags":["alpha","beta","gamma"],"price":%d.25,"ok":true}',
    i, i, i * 3)
  parts[#parts + 1] = item
  size = size + #item + 1
  i = i + 1
end
local body = '{"items":[' .. table.concat(parts, ",") .. ']}'

wrk.method = "POST"
wrk.body = body
wrk.headers["Content-Type"] = "application/json"
