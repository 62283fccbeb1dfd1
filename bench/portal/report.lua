-- wrk script for bench/portal: POSTs valid reports (phishing, malware, spam in turn) on
-- distinct domains, so that most open new cases, some join existing ones (every 10th repeats a
-- domain).  Counts answers by status per thread; done() prints "status <code> <n>" lines that
-- run.sh compares with the store.
local counter = 0
local threads = {}
local tid = 0

function setup(thread)
	tid = tid + 1
	thread:set("id", tid)
	table.insert(threads, thread)
end

function init(args)
	codes = {}
	wrk.method = "POST"
	wrk.headers["Content-Type"] = "application/json"
end

local bodies = {
	'{"category":"phishing","targets":["https://login.b%d-%d.com/verify"],' ..
	'"evidence":{"imitates":"Example Bank","description":"credential form","observed":"2026-11-20"},' ..
	'"reporter":{"email":"cert@cert.example"}}',
	'{"category":"malware","targets":["http://b%d-%d.net/dl/a.exe"],"ips":["192.0.2.7"],' ..
	'"evidence":{"description":"drops an infostealer","sample_sha256":"' .. string.rep("ab", 32) .. '"}}',
	'{"category":"spam","targets":["b%d-%d.org"],' ..
	'"evidence":{"description":"advertised in unsolicited bulk mail to a spam trap",' ..
	'"smtp_from":"offers@bulk.example","source_port":41877}}',
}

function request()
	counter = counter + 1
	local n = counter
	if n % 10 == 0 then n = n - 5 end -- join an earlier case
	local b = string.format(bodies[counter % 3 + 1], id, n)
	return wrk.format(nil, "/api/v1/reports", nil, b)
end

function response(status, headers, body)
	codes[status] = (codes[status] or 0) + 1
end

function done(summary, latency, requests)
	local total = {}
	for _, t in ipairs(threads) do
		local c = t:get("codes")
		for k, v in pairs(c) do total[k] = (total[k] or 0) + v end
	end
	for k, v in pairs(total) do io.write(string.format("status %d %d\n", k, v)) end
	io.write(string.format("latency_p50_us %d\n", latency:percentile(50)))
	io.write(string.format("latency_p90_us %d\n", latency:percentile(90)))
	io.write(string.format("latency_p99_us %d\n", latency:percentile(99)))
	io.write(string.format("latency_max_us %d\n", latency.max))
	io.write(string.format("requests %d\n", summary.requests))
	io.write(string.format("duration_us %d\n", summary.duration))
	io.write(string.format("socket_errors %d\n", summary.errors.connect + summary.errors.read +
		summary.errors.write + summary.errors.timeout))
end
