-- wrk script for the WAL test (probe_test.py): a stream of valid reports, each on its own
-- registered domain, as fast as the portal takes them.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local n = 0
function request()
	n = n + 1
	local body = string.format('{"category":"other","targets":["wal-%d-%d.com"],' ..
		'"evidence":{"description":"a report of the sustained load test number %d"}}',
		n, math.random(1, 1000000000), n)
	return wrk.format(nil, "/api/v1/reports", nil, body)
end
