-- aws.lua - the one wrk script bench/run drives: builds AWS-shaped requests from
-- environment variables and prints wrk's figures as one JSON line.
--
--   BENCH_METHOD, BENCH_PATH        request line (default POST /)
--   BENCH_HOST                      Host header (localhost:PORT: sqslite knows queues only by such URLs)
--   BENCH_TARGET                    X-Amz-Target header (JSON 1.0 protocols), optional
--   BENCH_CONTENT_TYPE              Content-Type header, optional
--   BENCH_SERVICE                   service name in the fake SigV4 credential scope
--   BENCH_BODY_FILE                 body template; "{{seq}}" becomes a number unique in the run,
--                                   "{{rand}}" a random integer in [0, BENCH_RAND_MAX)
--   BENCH_SEQ_BASE                  added to every {{seq}}: bench/run gives each wrk run its own, so
--                                   that a run's writes never repeat an earlier run's items
--   BENCH_CYCLE_FILES               optional, a ';'-separated list of files, each
--                                   "TARGET\n<body template>": each connection's requests
--                                   go round these steps instead (e.g. send, receive); a step
--                                   whose template holds "{{handles}}" (a delete) is sent once
--                                   for each answer that carried receipt handles, with them
--   BENCH_PROTO                     json or query (how receipt handles are read and written)
--
-- Every request carries an Authorization header shaped like SigV4 (servers that check
-- no signatures accept it; the bench never runs awsemu with --auth sigv4).

local method = os.getenv("BENCH_METHOD") or "POST"
local path = os.getenv("BENCH_PATH") or "/"
local target = os.getenv("BENCH_TARGET") or ""
local ctype = os.getenv("BENCH_CONTENT_TYPE") or ""
local service = os.getenv("BENCH_SERVICE") or "dynamodb"
local proto = os.getenv("BENCH_PROTO") or "json"
local rand_max = tonumber(os.getenv("BENCH_RAND_MAX") or "1000000")
local seq_base = tonumber(os.getenv("BENCH_SEQ_BASE") or "0")

local function read_file(name)
    local f = assert(io.open(name, "rb"))
    local s = f:read("*a")
    f:close()
    return s
end

local function base_headers(tgt)
    local h = {
        ["Host"] = os.getenv("BENCH_HOST") or "localhost",
        ["X-Amz-Date"] = "20250101T000000Z",
        ["Authorization"] = "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20250101/us-east-1/" .. service ..
            "/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, " ..
            "Signature=0f2d9b5e4c1a7f3e8b6d0c2a4e6f8091a3b5c7d9e1f2a4b6c8d0e2f4a6b8c0d2",
    }
    if tgt ~= "" then h["X-Amz-Target"] = tgt end
    if ctype ~= "" then h["Content-Type"] = ctype end
    return h
end

-- A template as its literal pieces (odd positions) and the names of the placeholders between
-- them (even positions): a request is rendered by concatenation, with no pattern matching and
-- little garbage, so that the client's own work (and its garbage collector) stays out of the
-- latencies it measures.
local function compile(template)
    local parts, at = {}, 1
    while true do
        local s, e, name = template:find("{{(%w+)}}", at)
        if not s then
            parts[#parts + 1] = template:sub(at)
            return parts
        end
        parts[#parts + 1] = template:sub(at, s - 1)
        parts[#parts + 1] = name
        at = e + 1
    end
end

-- The request line and headers up to the value of Content-Length (what wrk.format writes).
local function request_head(headers)
    local s = { string.format("%s %s HTTP/1.1", method, path) }
    for name, value in pairs(headers) do s[#s + 1] = string.format("%s: %s", name, value) end
    s[#s + 1] = "Content-Length: "
    return table.concat(s, "\r\n")
end

-- a step: target, template (compiled), whether it is dynamic, and a prebuilt request when it is not
local function make_step(tgt, template)
    local st = { target = tgt, template = template, headers = base_headers(tgt) }
    st.dynamic = template:find("{{", 1, true) ~= nil
    if st.dynamic then
        st.parts, st.head = compile(template), request_head(st.headers)
    else
        st.req = wrk.format(method, path, st.headers, template)
    end
    return st
end

local steps = {}
local cycle = os.getenv("BENCH_CYCLE_FILES")
if cycle and cycle ~= "" then
    for name in cycle:gmatch("[^;]+") do
        local text = read_file(name)
        local nl = text:find("\n", 1, true)
        steps[#steps + 1] = make_step(text:sub(1, nl - 1), text:sub(nl + 1))
    end
else
    local bf = os.getenv("BENCH_BODY_FILE")
    steps[1] = make_step(target, bf and bf ~= "" and read_file(bf) or "")
end

-- main state: keep the threads so done() can add up their counters
local threads = {}
local thread_no = 0
function setup(thread)
    thread_no = thread_no + 1
    thread:set("tid", thread_no)
    threads[#threads + 1] = thread
end

seq = 0
handles_seen = 0
local pos = 1          -- next non-delete step, one rotation per thread across its connections
local pending = {}     -- receipt-handle batches from receive answers, each deleted once

local function urlencode(s)
    return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

local function xml_unescape(s)
    return (s:gsub("&lt;", "<"):gsub("&gt;", ">"):gsub("&quot;", '"'):gsub("&apos;", "'"):gsub("&amp;", "&"))
end

local function handles_text(batch)
    local parts = {}
    for i, h in ipairs(batch) do
        if proto == "query" then
            parts[#parts + 1] = string.format("DeleteMessageBatchRequestEntry.%d.Id=m%d&DeleteMessageBatchRequestEntry.%d.ReceiptHandle=%s",
                i, i, i, urlencode(h))
        else
            parts[#parts + 1] = string.format('{"Id":"m%d","ReceiptHandle":"%s"}', i, h)
        end
    end
    return table.concat(parts, proto == "query" and "&" or ",")
end

local pieces = {} -- reused by render
local function render(st, batch)
    seq = seq + 1
    local id = string.format("%d", seq_base + (tid or 1) * 100000000 + seq)
    local parts = st.parts
    for i = 1, #parts do
        local p = parts[i]
        if i % 2 == 1 then pieces[i] = p
        elseif p == "seq" then pieces[i] = id
        elseif p == "rand" then pieces[i] = tostring(math.random(0, rand_max - 1))
        else pieces[i] = handles_text(batch) end
    end
    local body = table.concat(pieces, "", 1, #parts)
    return st.head .. #body .. "\r\n\r\n" .. body
end

-- the delete step (if any) is taken whenever a received batch waits; the others go round
local delete_step, rota = nil, {}
for _, st in ipairs(steps) do
    if st.template:find("{{handles}}", 1, true) then delete_step = st else rota[#rota + 1] = st end
end

function request()
    if delete_step and #pending > 0 then return render(delete_step, table.remove(pending)) end
    local st = rota[pos]
    pos = pos % #rota + 1
    if st.dynamic then return render(st) end
    return st.req
end

if delete_step then
    function response(status, headers, body)
        if not body or not body:find("ReceiptHandle", 1, true) then return end
        local batch = {}
        if proto == "query" then
            for h in body:gmatch("<ReceiptHandle>(.-)</ReceiptHandle>") do batch[#batch + 1] = xml_unescape(h) end
        else
            for h in body:gmatch('"ReceiptHandle"%s*:%s*"(.-)"') do batch[#batch + 1] = h end
        end
        if #batch > 0 then
            pending[#pending + 1] = batch
            handles_seen = handles_seen + #batch
        end
    end
end

function done(summary, latency, requests)
    local handles = 0
    for _, t in ipairs(threads) do handles = handles + (tonumber(t:get("handles_seen")) or 0) end
    local e = summary.errors
    io.write(string.format(
        'BENCHJSON {"requests":%d,"duration_us":%d,"bytes":%d,"errors_connect":%d,"errors_read":%d,"errors_write":%d,' ..
        '"errors_status":%d,"errors_timeout":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d,"mean_us":%.1f,"messages_received":%d}\n',
        summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
        latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean, handles))
end
