#!/usr/bin/env bash
# Counts per delivered message that do not depend on the machine's load (thread-pool work items, bytes
# allocated, lock contentions, gen0 collections), for a machine shared with others where msg/s and µs
# are noise. Starts one Converge with the bench's configuration (bench/compare.sh), runs the throughput
# scenario once to warm the JIT up, then again while dotnet-counters samples the runtime and the server's
# meter every second; per_message_counters.py divides by the messages routed in the same seconds.
# Optionally profiles the second run (PERF=1: perf record -g, DOTNET_PerfMapEnabled) or counts its
# system calls (STRACE=1: strace -c -f).
#
#   WORK=/dev/shm/per-message USERS=400 DURATION=8 PORT=36622 BIN=src/Converge/bin/Release/net10.0
#   DOTNET_COUNTERS=dotnet-counters (dotnet tool install --tool-path DIR dotnet-counters)
#   PERF=0 STRACE=0 PROFILE_DELAY=12 PROFILE_SECONDS=8
# Builds nothing: build Converge and bench/Converge.Bench (Release) first.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=${WORK:-/dev/shm/per-message}
USERS=${USERS:-400}
DURATION=${DURATION:-8}
PORT=${PORT:-36622}
BIN=${BIN:-$ROOT/src/Converge/bin/Release/net10.0}
DOTNET_COUNTERS=${DOTNET_COUNTERS:-dotnet-counters}
BENCH="dotnet $ROOT/bench/Converge.Bench/bin/Release/net10.0/converge-bench.dll"
PASSWORDS='bench-{0}-pw'

if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
    # .NET listeners set SO_REUSEPORT: a server left on the port would take part of the load.
    echo "error: something already listens on 127.0.0.1:$PORT" >&2
    exit 1
fi
rm -rf "$WORK"
mkdir -p "$WORK/data" "$WORK/results"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 30 -subj "/CN=bench.test" \
    -addext "subjectAltName=DNS:bench.test" -keyout "$WORK/key.pem" -out "$WORK/cert.pem" 2>/dev/null
$BENCH provision --target converge --path "$WORK/data/converge.db" --domain bench.test --users "$USERS" \
    --password-pattern "$PASSWORDS" --contacts 20 --msisdn-prefix +49151 >&2
cat > "$WORK/converge.json" <<JSON
{
  "Domain": "bench.test",
  "DataDirectory": "$WORK/data",
  "Listeners": { "Client": "127.0.0.1:$PORT", "ClientDirectTls": "", "Server": "", "Http": "" },
  "Tls": { "CertificatePath": "$WORK/cert.pem", "KeyPath": "$WORK/key.pem" },
  "Limits": { "Client": { "MaxSessionsPerAccount": 20, "MaxOfflineMessages": 100000000, "MaxUnauthenticatedPerAddress": 0, "SubscriptionRequestsPerMinute": 0 } },
  "Logging": { "LogLevel": { "Default": "Warning" } }
}
JSON

export DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
DOTNET_PerfMapEnabled=${PERF:-0} DOTNET_EnableWriteXorExecute=0 dotnet "$BIN/converge.dll" serve --config "$WORK/converge.json" > "$WORK/log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 300); do (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 0.2; done

run() {
    $BENCH --scenario throughput --server-name converge --host 127.0.0.1 --port "$PORT" --domain bench.test --users "$USERS" \
        --password-pattern "$PASSWORDS" --duration "$DURATION" --warmup 3 --window 10 --body-size 100 --concurrency 32 \
        --connections 10000 --contacts 20 --server-pid "$SERVER" --json "$WORK/results/$1.json" > "$WORK/$1.out" 2>&1 || true
}

run warm-up
if [ "${PERF:-0}" = 1 ]; then
    (sleep "${PROFILE_DELAY:-12}"; perf record -F 999 -g -p "$SERVER" -o "$WORK/perf.data" -- sleep "${PROFILE_SECONDS:-8}" > "$WORK/perf.log" 2>&1) &
fi
if [ "${STRACE:-0}" = 1 ]; then
    (sleep "${PROFILE_DELAY:-12}"; timeout -s INT "${PROFILE_SECONDS:-8}" strace -c -f -p "$SERVER" -o "$WORK/strace.txt" > /dev/null 2>&1) &
fi
"$DOTNET_COUNTERS" collect -p "$SERVER" --refresh-interval 1 --format csv -o "$WORK/counters.csv" --counters "System.Runtime,Converge" > "$WORK/counters.log" 2>&1 &
COUNTERS=$!
run measured
kill "$COUNTERS" 2>/dev/null || true
kill "$SERVER" 2>/dev/null || true
wait "$SERVER" 2>/dev/null || true
wait
/usr/bin/python3 "$ROOT/bench/per-message/per_message_counters.py" "$WORK/counters.csv"
