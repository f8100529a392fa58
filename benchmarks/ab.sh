#!/usr/bin/env bash
# A/B of two proxy jars under the same load: is a change on the forwarding or decision path a
# regression? Both proxies run at once on the same core (SUT_CPU), in front of one upstream, and
# h2load drives them in turn, ROUNDS times, so the machine's drift hits both alike. Reports each
# round's calls/s and the proxy's CPU seconds per 1000 calls, and the medians of B ÷ A.
#
#   benchmarks/ab.sh OLD.jar NEW.jar      # after benchmarks/run.sh built benchmarks.jar
#
# Environment: ROUNDS [6]  DURATION [10] s per run  CONNECTIONS [4]  STREAMS [16]
#   SUT_CPU [1]  LOAD_CPU [0]  (taskset cores of the proxies, and of the upstream and h2load)
#   DENY_FRACTION [unset]: drive with the load harness instead (64 in flight, 100 users), this
#     share of calls denied, as run.sh's deny run
set -euo pipefail

A_JAR=$1
B_JAR=$2
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BENCH_JAR="$HERE/target/benchmarks.jar"
ROUNDS=${ROUNDS:-6}
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-4}
STREAMS=${STREAMS:-16}
SUT_CPU=${SUT_CPU:-1}
LOAD_CPU=${LOAD_CPU:-0}
WORK=$(mktemp -d)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

wait_port() {
  for _ in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.2
  done
  echo "nothing listens on port $1" >&2
  exit 1
}

cpu_seconds() { # user+system CPU of a process, in seconds
  awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' "/proc/$1/stat"
}

java -cp "$BENCH_JAR" dev.temporalrbac.bench.load.LoadHarness fixture --dir "$WORK" --principals 100 >/dev/null
SECRET=$(cat "$WORK/secret.txt")
taskset -c "$LOAD_CPU" java -Xms1g -Xmx1g -XX:+UseG1GC -cp "$BENCH_JAR" \
  dev.temporalrbac.bench.load.LoadHarness upstream --port-file "$WORK/upstream.port" >"$WORK/upstream.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 100); do [ -s "$WORK/upstream.port" ] && break; sleep 0.2; done
UPSTREAM=$(cat "$WORK/upstream.port")

declare -A PORT PID
for side in A B; do
  jar=$A_JAR; [ "$side" = B ] && jar=$B_JAR
  PORT[$side]=$(free_port)
  taskset -c "$SUT_CPU" java -Xms1g -Xmx1g -XX:+UseG1GC -Xmn128m -jar "$jar" serve \
    --policy "$WORK/policy.yaml" --upstream "127.0.0.1:$UPSTREAM" --listen "127.0.0.1:${PORT[$side]}" \
    --admin "127.0.0.1:$(free_port)" --audit deny --audit-file "$WORK/audit-$side.log" \
    >"$WORK/proxy-$side.log" 2>&1 &
  PID[$side]=$!
  PIDS+=($!)
  wait_port "${PORT[$side]}"
done

run() { # side seconds -> "calls/s cpu_s_per_1k"
  local side=$1 seconds=$2 before after out rps
  if [ -n "${DENY_FRACTION:-}" ]; then
    before=$(cpu_seconds "${PID[$side]}")
    out=$(taskset -c "$LOAD_CPU" java -Xms512m -Xmx1g -XX:+UseG1GC -cp "$BENCH_JAR" \
      dev.temporalrbac.bench.load.LoadHarness unary --label ab --target "127.0.0.1:${PORT[$side]}" \
      --concurrency 64 --prewarm 0 --warmup 2 --duration "$seconds" --principals 100 \
      --deny-fraction "$DENY_FRACTION" 2>/dev/null | grep '^{')
    after=$(cpu_seconds "${PID[$side]}")
    python3 -c "import json, sys; r=json.loads(sys.argv[1]); c=r['calls_per_s']; print(f'{c:.0f}', f'{(float(sys.argv[3])-float(sys.argv[2]))/(c*(float(sys.argv[4])+2))*1000:.4f}')" \
      "$out" "$before" "$after" "$seconds"
    return
  fi
  before=$(cpu_seconds "${PID[$side]}")
  out=$(taskset -c "$LOAD_CPU" h2load -D "$seconds" --warm-up-time=2 -t 1 -c "$CONNECTIONS" -m "$STREAMS" \
    --data="$WORK/start-workflow.grpc" -H 'content-type: application/grpc' -H 'te: trailers' \
    -H "authorization: Bearer $SECRET" \
    "http://127.0.0.1:${PORT[$side]}/temporal.api.workflowservice.v1.WorkflowService/StartWorkflowExecution")
  after=$(cpu_seconds "${PID[$side]}")
  rps=$(echo "$out" | awk '/^finished in/ {gsub(",", "", $4); print $4}')
  python3 -c "import sys; r=float(sys.argv[1]); print(f'{r:.0f}', f'{(float(sys.argv[3])-float(sys.argv[2]))/(r*(float(sys.argv[4])+2))*1000:.4f}')" \
    "$rps" "$before" "$after" "$seconds"
}

echo "warming both proxies up (2 x 20 s)" >&2
run A 20 >/dev/null
run B 20 >/dev/null
echo "round A_calls/s A_cpu_s/1k B_calls/s B_cpu_s/1k"
RESULTS=()
for round in $(seq 1 "$ROUNDS"); do
  if (( round % 2 )); then a=$(run A "$DURATION"); b=$(run B "$DURATION")
  else b=$(run B "$DURATION"); a=$(run A "$DURATION"); fi
  echo "$round $a $b"
  RESULTS+=("$a $b")
done
printf '%s\n' "${RESULTS[@]}" | python3 -c '
import statistics, sys
rows = [list(map(float, line.split())) for line in sys.stdin if line.strip()]
tput = statistics.median(b / a for a, _, b, _ in rows)
cpu = statistics.median(bc / ac for _, ac, _, bc in rows)
print(f"median B/A: calls/s {tput:.3f}, CPU s per 1000 calls {cpu:.3f}")'
