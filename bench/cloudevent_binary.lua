-- wrk script: POST a CloudEvent in binary content mode (ce-* headers, JSON data of 1 KiB),
-- the same bytes on every request. Used by bench/cloudevent_bench.py.
local items = {}
for i = 0, 7 do
  items[#items + 1] = string.format(
    '{"id":%d,"name":"item-%05d","tags":["alpha","beta","gamma"],"price":%d.25,"ok":true,"note":"%s"}',
    i, i, i * 3, string.rep("x", 26))
end
local body = '{"items":[' .. table.concat(items, ",") .. ']}'
body = body:sub(1, -3) .. string.rep(" ", 1024 - #body) .. ']}' -- pad to exactly 1024 bytes

wrk.method = "POST"
wrk.body = body
wrk.headers["Content-Type"] = "application/json"
wrk.headers["ce-specversion"] = "1.0"
wrk.headers["ce-id"] = "b6a7c8d9-0000-4000-8000-000000000001"
wrk.headers["ce-source"] = "//pubsub.googleapis.com/projects/bench/topics/orders"
wrk.headers["ce-type"] = "com.example.order.created"
wrk.headers["ce-time"] = "2020-09-29T11:32:00.000Z"
