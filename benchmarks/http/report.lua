-- wrk script: at the end, one machine-readable line for benchmarks/http.sh (latencies in microseconds).
-- With arguments "random N PREFIX" (wrk ... -- random 256 /cold/f) each request asks for PREFIX%04d.bin,
-- NNNN uniformly random in [0, N); without arguments wrk's own static request is sent.
-- With "tree N PREFIX" (wrk ... -- tree 200000 /meta) the requests walk a tree of N files in order,
-- PREFIX/dDDD/fNNNNNN.bin with DDD = NNNNNN / 1000, each file once before the walk starts again.
local count, prefix, next

function init(args)
  if args[1] == "random" then
    count, prefix = tonumber(args[2]), args[3]
    math.randomseed(os.time() + os.clock() * 1e6)
    request = function()
      return wrk.format("GET", string.format("%s%04d.bin", prefix, math.random(0, count - 1)))
    end
  elseif args[1] == "tree" then
    count, prefix, next = tonumber(args[2]), args[3], 0
    request = function()
      local i = next
      next = (next + 1) % count
      return wrk.format("GET", string.format("%s/d%03d/f%06d.bin", prefix, math.floor(i / 1000), i))
    end
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "wrk requests=%d duration_us=%d bytes=%d errors=%d p50=%d p90=%d p99=%d p999=%d max=%d\n",
    summary.requests, summary.duration, summary.bytes,
    e.connect + e.read + e.write + e.status + e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9),
    latency.max))
end
