#!/usr/bin/env bash
# End-to-end benchmark of temporal-rbac-proxy against a direct connection and nginx grpc_pass.
#
#   benchmarks/run.sh            # everything, ~15 minutes on 2 cores; writes benchmarks/BENCHMARKS.md
#   JMH=1 benchmarks/run.sh      # also the JMH decision benchmark and policy load (~10 more minutes)
#
# Environment (defaults in brackets):
#   DURATION [10]  WARMUP [3]  seconds measured / warmed up per unary point
#   PREWARM [8]  seconds each fresh client JVM first runs at 64 in flight, unmeasured, so its own
#                JIT compilation is over before a point is measured
#   CONCURRENCY ["1 16 64 256"]  calls in flight per point      PRINCIPALS [100]  users in the policy
#   DENY_FRACTION [0.2]  share of denied calls in the deny run  DENY_CONCURRENCY [64]
#   ROUNDS [3]  rounds of the 64-in-flight point and of h2load, the three paths interleaved in
#               each round; the report gives medians and each round's ratios (a shared virtual
#               machine's speed drifts by tens of percent within minutes)
#   H2LOAD_DURATION [10]  H2LOAD_CONNECTIONS [4]  H2LOAD_STREAMS [16]  (4 x 16 = 64 in flight)
#   LONGPOLL_COUNT [10000]  LONGPOLL_HOLD [60]  LONGPOLL_DEADLINE [70]
#   PROXY_JVM_FLAGS ["-Xms1g -Xmx1g -XX:+UseG1GC -Xmn128m"]
#   LONGPOLL_JVM_FLAGS ["-Xms512m -Xmx512m -XX:+UseG1GC -Xmn128m"]
#   PIN [auto]  auto: with 2+ cores and taskset, the proxy or nginx runs on its own half of the
#               cores (SUT_CPUS) and the client, upstream and h2load on the other (LOAD_CPUS), as
#               if on separate machines; 0: everything shares every core. The 64-in-flight point
#               is also measured with every process on every core either way.
#   SUT_CPUS, LOAD_CPUS  override the split, e.g. SUT_CPUS=2-3 LOAD_CPUS=0-1
#   PROFILE [1]  JFR CPU profile of the proxy under 64 in flight   JMH [0]  also the JMH decision benchmark
#   SKIP_BUILD [0]  SKIP_INSTALL [0]  OUT [benchmarks/BENCHMARKS.md]  KEEP_WORK [0]
#
# Everything listens on 127.0.0.1 only. nginx runs with its own prefix, pid file and logs in a
# temporary directory (never the system service). All processes started here are stopped on exit.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-3}
PREWARM=${PREWARM:-8}
CONCURRENCY=${CONCURRENCY:-"1 16 64 256"}
PRINCIPALS=${PRINCIPALS:-100}
DENY_FRACTION=${DENY_FRACTION:-0.2}
DENY_CONCURRENCY=${DENY_CONCURRENCY:-64}
ROUNDS=${ROUNDS:-3}
H2LOAD_DURATION=${H2LOAD_DURATION:-10}
H2LOAD_CONNECTIONS=${H2LOAD_CONNECTIONS:-4}
H2LOAD_STREAMS=${H2LOAD_STREAMS:-16}
LONGPOLL_COUNT=${LONGPOLL_COUNT:-10000}
LONGPOLL_HOLD=${LONGPOLL_HOLD:-60}
LONGPOLL_DEADLINE=${LONGPOLL_DEADLINE:-70}
# -Xmn128m: G1's young pauses grow with the young generation, not with what survives (~13 MiB
# here); with the default sizing (~620 MiB of eden in a 1 GiB heap) they took 8-13 ms on one core,
# with 128 MiB about 1.2 ms.
PROXY_JVM_FLAGS=${PROXY_JVM_FLAGS:-"-Xms1g -Xmx1g -XX:+UseG1GC -Xmn128m"}
LONGPOLL_JVM_FLAGS=${LONGPOLL_JVM_FLAGS:-"-Xms512m -Xmx512m -XX:+UseG1GC -Xmn128m"}
UPSTREAM_JVM_FLAGS=${UPSTREAM_JVM_FLAGS:-"-Xms1g -Xmx1g -XX:+UseG1GC"}
CLIENT_JVM_FLAGS=${CLIENT_JVM_FLAGS:-"-Xms512m -Xmx1g -XX:+UseG1GC"}
PROFILE=${PROFILE:-1}
PIN=${PIN:-auto}
NPROC=$(nproc) # the CPUs this process may use
if [[ $PIN == auto ]]; then
  if ((NPROC >= 2)) && command -v taskset >/dev/null; then PIN=1; else PIN=0; fi
fi
# The CPUs this script may use (a container's cpuset may not start at 0), as comma lists: all of
# them, the first half (load) and the second half (system under test).
if command -v python3 >/dev/null; then
  read -r ALL_CPUS HALF_LOAD HALF_SUT < <(python3 -c '
import os
c = sorted(os.sched_getaffinity(0))
h = len(c) // 2
j = lambda l: ",".join(map(str, l))
print(j(c), j(c[:h]) or j(c), j(c[h:]))')
else # python3 is installed further down; without it now, do not split
  PIN=0
  ALL_CPUS=0-$((NPROC - 1)) HALF_LOAD=0-$((NPROC - 1)) HALF_SUT=0-$((NPROC - 1))
fi
if [[ $PIN == 1 ]]; then
  LOAD_CPUS=${LOAD_CPUS:-$HALF_LOAD}
  SUT_CPUS=${SUT_CPUS:-$HALF_SUT}
else
  LOAD_CPUS=${LOAD_CPUS:-$ALL_CPUS}
  SUT_CPUS=${SUT_CPUS:-$ALL_CPUS}
fi
cpu_count() { # "0-1,3" -> 3
  local n=0 part
  for part in ${1//,/ }; do
    if [[ $part == *-* ]]; then n=$((n + ${part#*-} - ${part%-*} + 1)); else n=$((n + 1)); fi
  done
  echo "$n"
}
LOAD_NCPU=$(cpu_count "$LOAD_CPUS")
SUT_NCPU=$(cpu_count "$SUT_CPUS")
# Prefixes that place a process: on the load cores, on the system-under-test cores.
LOAD_PIN=() SUT_PIN=()
if [[ $PIN == 1 ]]; then
  LOAD_PIN=(taskset -c "$LOAD_CPUS")
  SUT_PIN=(taskset -c "$SUT_CPUS")
fi
JMH=${JMH:-0}
SKIP_BUILD=${SKIP_BUILD:-0}
SKIP_INSTALL=${SKIP_INSTALL:-0}
OUT=${OUT:-$HERE/BENCHMARKS.md}
KEEP_WORK=${KEEP_WORK:-0}
# read by the report generator
export ROUNDS DURATION WARMUP PREWARM CONCURRENCY PRINCIPALS DENY_FRACTION H2LOAD_DURATION H2LOAD_CONNECTIONS \
  H2LOAD_STREAMS LONGPOLL_COUNT LONGPOLL_HOLD PROXY_JVM_FLAGS LONGPOLL_JVM_FLAGS UPSTREAM_JVM_FLAGS \
  CLIENT_JVM_FLAGS PROFILE JMH PIN LOAD_CPUS SUT_CPUS LOAD_NCPU SUT_NCPU

PROXY_JAR=$ROOT/proxy/target/temporal-rbac-proxy.jar
BENCH_JAR=$HERE/target/benchmarks.jar
WORK=$(mktemp -d /tmp/trp-bench.XXXXXX)
RESULTS=$WORK/results.jsonl
COMMANDS=$WORK/commands.txt
PIDS=()

log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

cleanup() {
  local rc=$?
  for pid in "${PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 1 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -9 "$pid" 2>/dev/null || true
  done
  if [[ $KEEP_WORK == 1 || $rc != 0 ]]; then
    log "work directory kept: $WORK"
  else
    rm -rf "$WORK"
  fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Records a command (for BENCHMARKS.md) and runs it.
record() {
  printf '%s\n' "$*" >>"$COMMANDS"
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# Waits (bounded) until a URL answers 200.
wait_http() {
  local url=$1 tries=${2:-120}
  for _ in $(seq 1 "$tries"); do
    if [[ $(curl -s -o /dev/null -w '%{http_code}' "$url" || true) == 200 ]]; then
      return 0
    fi
    sleep 0.5
  done
  log "timed out waiting for $url"
  return 1
}

wait_file() {
  local file=$1
  for _ in $(seq 1 120); do
    [[ -s $file ]] && return 0
    sleep 0.5
  done
  log "timed out waiting for $file"
  return 1
}

harness() {
  # shellcheck disable=SC2086
  timeout 600 "${LOAD_PIN[@]}" java $CLIENT_JVM_FLAGS -cp "$BENCH_JAR" dev.temporalrbac.bench.load.LoadHarness "$@" \
    2>>"$WORK/harness.err"
}

hwm_kib() { awk '/^VmHWM:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
cpu_ticks() {
  local total=0 pid
  for pid in "$@"; do
    local t
    t=$(awk '{sub(/.*\) /, ""); print $12 + $13}' "/proc/$pid/stat" 2>/dev/null || echo 0)
    total=$((total + t))
  done
  echo "$total"
}

# ------------------------------------------------------------------ build and tools
cd "$ROOT"
if [[ $SKIP_BUILD != 1 ]]; then
  log "building (mvn install -DskipTests, then the benchmarks module)"
  record "mvn -B -ntp -q install -DskipTests"
  mvn -B -ntp -q install -DskipTests
  record "mvn -B -ntp -q -P benchmarks -pl benchmarks package -DskipTests"
  mvn -B -ntp -q -P benchmarks -pl benchmarks package -DskipTests
fi
[[ -f $PROXY_JAR && -f $BENCH_JAR ]] || { log "missing $PROXY_JAR or $BENCH_JAR"; exit 1; }

need=()
command -v nginx >/dev/null || need+=(nginx)
command -v h2load >/dev/null || need+=(nghttp2-client)
command -v python3 >/dev/null || need+=(python3)
command -v curl >/dev/null || need+=(curl)
if ((${#need[@]})); then
  if [[ $SKIP_INSTALL == 1 ]]; then
    log "missing: ${need[*]}"
    exit 1
  fi
  log "installing ${need[*]}"
  SUDO=
  [[ $(id -u) == 0 ]] || SUDO=sudo
  record "apt-get update && apt-get install -y ${need[*]}"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q "${need[@]}"
fi

# ------------------------------------------------------------------ machine
{
  echo "date_utc=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "commit=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "dirty=$(git -C "$ROOT" status --porcelain 2>/dev/null | grep -c . || true)"
  echo "nproc=$(nproc)"
  echo "pin=$PIN"
  echo "load_cpus=$LOAD_CPUS"
  echo "sut_cpus=$SUT_CPUS"
  echo "cpu=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)"
  echo "mem=$(awk '/^MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
  echo "kernel=$(uname -r)"
  echo "java=$(java -version 2>&1 | head -2 | tail -1)"
  echo "nginx=$(nginx -v 2>&1)"
  echo "h2load=$(h2load --version 2>&1 | head -1)"
  echo "clk_tck=$(getconf CLK_TCK)"
} >"$WORK/machine.txt"

# ------------------------------------------------------------------ fixture and servers
log "policy fixture: $PRINCIPALS users"
record "java -cp $BENCH_JAR dev.temporalrbac.bench.load.LoadHarness fixture --dir \$WORK --principals $PRINCIPALS"
harness fixture --dir "$WORK" --principals "$PRINCIPALS" >"$WORK/fixture.json"
SECRET=$(cat "$WORK/secret.txt")

log "starting the upstream"
record "${LOAD_PIN[*]} java $UPSTREAM_JVM_FLAGS -cp $BENCH_JAR dev.temporalrbac.bench.load.LoadHarness upstream --port-file \$WORK/upstream.port"
# shellcheck disable=SC2086
"${LOAD_PIN[@]}" java $UPSTREAM_JVM_FLAGS -cp "$BENCH_JAR" dev.temporalrbac.bench.load.LoadHarness upstream \
  --port-file "$WORK/upstream.port" >"$WORK/upstream.log" 2>&1 &
UPSTREAM_PID=$!
PIDS+=("$UPSTREAM_PID")
wait_file "$WORK/upstream.port"
UPSTREAM_PORT=$(cat "$WORK/upstream.port")

start_proxy() { # name jvm-flags -> sets PROXY_PID PROXY_PORT ADMIN_PORT
  local name=$1 flags=$2
  PROXY_PORT=$(free_port)
  ADMIN_PORT=$(free_port)
  local cmd="${SUT_PIN[*]} java $flags -jar $PROXY_JAR serve --policy \$WORK/policy.yaml --upstream 127.0.0.1:$UPSTREAM_PORT --listen 127.0.0.1:$PROXY_PORT --admin 127.0.0.1:$ADMIN_PORT --audit deny --audit-file \$WORK/audit-$name.log"
  record "$cmd"
  # shellcheck disable=SC2086
  "${SUT_PIN[@]}" java $flags -jar "$PROXY_JAR" serve --policy "$WORK/policy.yaml" \
    --upstream "127.0.0.1:$UPSTREAM_PORT" --listen "127.0.0.1:$PROXY_PORT" \
    --admin "127.0.0.1:$ADMIN_PORT" --audit deny --audit-file "$WORK/audit-$name.log" \
    >"$WORK/proxy-$name.log" 2>&1 &
  PROXY_PID=$!
  PIDS+=("$PROXY_PID")
  wait_http "http://127.0.0.1:$ADMIN_PORT/readyz"
}

stop_pid() {
  local pid=$1
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -9 "$pid" 2>/dev/null || true
}

log "starting the proxy ($PROXY_JVM_FLAGS)"
start_proxy main "$PROXY_JVM_FLAGS"
MAIN_PROXY_PID=$PROXY_PID
MAIN_PROXY_PORT=$PROXY_PORT
MAIN_ADMIN_PORT=$ADMIN_PORT
echo "proxy_rss_idle_kib=$(rss_kib "$MAIN_PROXY_PID")" >>"$WORK/machine.txt"

log "starting nginx"
NGINX_PORT=$(free_port)
mkdir -p "$WORK/nginx"
sed -e "s#@PREFIX@#$WORK/nginx#g" -e "s#@LISTEN_PORT@#$NGINX_PORT#g" -e "s#@WORKERS@#$SUT_NCPU#g" \
  -e "s#@UPSTREAM_PORT@#$UPSTREAM_PORT#g" "$HERE/nginx/nginx.conf.template" >"$WORK/nginx/nginx.conf"
record "${SUT_PIN[*]} nginx -p \$WORK/nginx -c \$WORK/nginx/nginx.conf -g 'daemon off;'   # from benchmarks/nginx/nginx.conf.template"
"${SUT_PIN[@]}" nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -g 'daemon off;' >"$WORK/nginx/stdout.log" 2>&1 &
NGINX_PID=$!
PIDS+=("$NGINX_PID")
for _ in $(seq 1 50); do
  [[ -n $(pgrep -P "$NGINX_PID" || true) ]] && break
  sleep 0.2
done
NGINX_PIDS="$NGINX_PID,$(pgrep -P "$NGINX_PID" | paste -sd, -)"

declare -A TARGET=([direct]="127.0.0.1:$UPSTREAM_PORT" [proxy]="127.0.0.1:$MAIN_PROXY_PORT" [nginx]="127.0.0.1:$NGINX_PORT")
declare -A MID_PIDS=([direct]="" [proxy]="$MAIN_PROXY_PID" [nginx]="$NGINX_PIDS")

unary() { # label path concurrency [extra args]
  local label=$1 path=$2 c=$3
  shift 3
  local mid=()
  [[ -n ${MID_PIDS[$path]} ]] && mid=(--cpu-pids "${MID_PIDS[$path]}")
  record "${LOAD_PIN[*]} java $CLIENT_JVM_FLAGS -cp $BENCH_JAR dev.temporalrbac.bench.load.LoadHarness unary --label $label --target ${TARGET[$path]} --concurrency $c --prewarm $PREWARM --warmup $WARMUP --duration $DURATION --principals $PRINCIPALS $*"
  harness unary --label "$label" --path "$path" --target "${TARGET[$path]}" --concurrency "$c" \
    --prewarm "$PREWARM" --warmup "$WARMUP" --duration "$DURATION" --principals "$PRINCIPALS" \
    --upstream-pid "$UPSTREAM_PID" "${mid[@]}" --out "$RESULTS" "$@" >/dev/null
  tail -1 "$RESULTS" >&2
}

# ------------------------------------------------------------------ unary, closed loop
# Every JVM here compiles its hot code during the first tens of seconds under load (measured: a
# fresh proxy reached its steady state only after ~20 s at 64 in flight on a 2-core machine).
log "warm-up: 64 in flight for $((WARMUP * 10)) s per path (not reported)"
for path in direct proxy nginx; do
  harness unary --label warmup --target "${TARGET[$path]}" --concurrency 64 --warmup "$((WARMUP * 10))" \
    --duration 1 --principals "$PRINCIPALS" >/dev/null
done

for c in $CONCURRENCY; do
  for path in direct proxy nginx; do
    log "unary $path, $c in flight"
    unary "unary" "$path" "$c"
  done
  if ((c == 64)); then
    for round in $(seq 2 "$ROUNDS"); do
      for path in direct proxy nginx; do
        log "unary $path, $c in flight, round $round of $ROUNDS"
        unary "unary-r$round" "$path" "$c"
      done
    done
  fi
done

log "unary proxy, $DENY_CONCURRENCY in flight, ${DENY_FRACTION} denied"
unary "deny" proxy "$DENY_CONCURRENCY" --deny-fraction "$DENY_FRACTION"

# ------------------------------------------------------------------ 64 in flight, cores shared
if [[ $PIN == 1 ]]; then
  log "64 in flight with every process allowed on every core (no split)"
  repin() { # cpus pids...
    local cpus=$1 pid
    shift
    for pid in "$@"; do taskset -a -p -c "$cpus" "$pid" >/dev/null 2>&1 || true; done
  }
  repin "$ALL_CPUS" "$UPSTREAM_PID" "$MAIN_PROXY_PID" ${NGINX_PIDS//,/ }
  record "taskset -a -p -c $ALL_CPUS <upstream, proxy and nginx pids>   # then the client unpinned:"
  SAVED_LOAD_PIN=("${LOAD_PIN[@]}")
  LOAD_PIN=()
  for path in direct proxy nginx; do
    unary "shared" "$path" 64
  done
  LOAD_PIN=("${SAVED_LOAD_PIN[@]}")
  repin "$LOAD_CPUS" "$UPSTREAM_PID"
  repin "$SUT_CPUS" "$MAIN_PROXY_PID" ${NGINX_PIDS//,/ }
  record "taskset -a -p -c $LOAD_CPUS <upstream pid>; taskset -a -p -c $SUT_CPUS <proxy and nginx pids>"
fi

# ------------------------------------------------------------------ open loop at half load
HALF_RATE=$(python3 - "$RESULTS" <<'EOF'
import json, sys
best = max((r["calls_per_s"] for r in map(json.loads, open(sys.argv[1]))
            if r.get("label") == "unary" and r.get("path") == "proxy"), default=0)
print(int(best / 2))
EOF
)
if ((HALF_RATE > 0)); then
  for path in direct proxy nginx; do
    log "open loop $path at $HALF_RATE calls/s (half the proxy's maximum)"
    unary "half" "$path" 1024 --rate "$HALF_RATE"
  done
  for path in direct proxy nginx; do
    log "open loop $path at $((HALF_RATE / 2)) calls/s (a quarter of the proxy's maximum)"
    unary "quarter" "$path" 1024 --rate "$((HALF_RATE / 2))"
  done
fi

# ------------------------------------------------------------------ h2load
H2_URL_PATH=/temporal.api.workflowservice.v1.WorkflowService/StartWorkflowExecution
for round in $(seq 1 "$ROUNDS"); do
for path in direct proxy nginx; do
  log "h2load $path, round $round of $ROUNDS"
  port=${TARGET[$path]##*:}
  mid=${MID_PIDS[$path]//,/ }
  record "${LOAD_PIN[*]} h2load -D $H2LOAD_DURATION --warm-up-time=2 -t 1 -c $H2LOAD_CONNECTIONS -m $H2LOAD_STREAMS --data=\$WORK/start-workflow.grpc -H 'content-type: application/grpc' -H 'te: trailers' -H 'authorization: Bearer \$SECRET' http://127.0.0.1:$port$H2_URL_PATH"
  # shellcheck disable=SC2086
  cpu0=$(cpu_ticks $mid)
  timeout $((H2LOAD_DURATION + 60)) "${LOAD_PIN[@]}" h2load -D "$H2LOAD_DURATION" --warm-up-time=2 -t 1 \
    -c "$H2LOAD_CONNECTIONS" -m "$H2LOAD_STREAMS" --data="$WORK/start-workflow.grpc" \
    -H 'content-type: application/grpc' -H 'te: trailers' -H "authorization: Bearer $SECRET" \
    "http://127.0.0.1:$port$H2_URL_PATH" >"$WORK/h2load-$path.txt" 2>&1 || true
  # shellcheck disable=SC2086
  cpu1=$(cpu_ticks $mid)
  python3 - "$WORK/h2load-$path.txt" "$path" "$((cpu1 - cpu0))" "$(getconf CLK_TCK)" \
    "$H2LOAD_CONNECTIONS" "$H2LOAD_STREAMS" "${mid:+1}" "$round" >>"$RESULTS" <<'EOF'
import json, re, sys
text = open(sys.argv[1]).read()
path, ticks, hz, conns, streams, has_mid = sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]), sys.argv[7] == "1"
rnd = int(sys.argv[8])
def unit(v):
    m = re.match(r"([\d.]+)(us|ms|s)", v)
    return float(m.group(1)) * {"us": 1, "ms": 1e3, "s": 1e6}[m.group(2)]
r = {"mode": "h2load", "label": "h2load" if rnd == 1 else f"h2load-r{rnd}", "path": path, "concurrency": conns * streams}
m = re.search(r"finished in ([\d.]+)s, ([\d.]+) req/s", text)
if m:
    r["calls_per_s"] = float(m.group(2))
m = re.search(r"requests: (\d+) total, \d+ started, (\d+) done, (\d+) succeeded, (\d+) failed, (\d+) errored", text)
if m:
    r["calls"], r["succeeded"], r["failed"] = int(m.group(2)), int(m.group(3)), int(m.group(4)) + int(m.group(5))
m = re.search(r"time for request:\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)", text)
if m:
    r["min_us"], r["max_us"], r["mean_us"], r["sd_us"] = (unit(x) for x in m.groups())
if has_mid and r.get("calls"):
    r["mid_cpu_s_per_1k"] = round(ticks / hz * 1000 / r["calls"], 4)
print(json.dumps(r))
EOF
  tail -1 "$RESULTS" >&2
done
done

# ------------------------------------------------------------------ peak RSS
nginx_hwm=0
for pid in ${NGINX_PIDS//,/ }; do nginx_hwm=$((nginx_hwm + $(hwm_kib "$pid"))); done
{
  echo "proxy_hwm_kib=$(hwm_kib "$MAIN_PROXY_PID")"
  echo "proxy_threads=$(awk '/^Threads:/ {print $2}' "/proc/$MAIN_PROXY_PID/status")"
  echo "nginx_hwm_kib_sum=$nginx_hwm"
  echo "upstream_hwm_kib=$(hwm_kib "$UPSTREAM_PID")"
} >>"$WORK/machine.txt"
curl -s "http://127.0.0.1:$MAIN_ADMIN_PORT/metrics" >"$WORK/proxy-main-metrics.txt" || true
stop_pid "$MAIN_PROXY_PID"
stop_pid "$NGINX_PID"

# ------------------------------------------------------------------ JFR profile
if [[ $PROFILE == 1 ]]; then
  log "JFR CPU profile of the proxy at 64 in flight"
  start_proxy jfr "$PROXY_JVM_FLAGS -XX:StartFlightRecording=name=bench,settings=profile"
  TARGET[proxy]="127.0.0.1:$PROXY_PORT"
  MID_PIDS[proxy]="$PROXY_PID"
  harness unary --label warmup --target "${TARGET[proxy]}" --concurrency 64 --warmup "$((WARMUP * 3))" \
    --duration 1 --principals "$PRINCIPALS" >/dev/null
  unary "jfr" proxy 64 --duration 20
  record "jcmd PROXY_PID JFR.dump name=bench filename=\$WORK/proxy.jfr; java -cp $BENCH_JAR dev.temporalrbac.bench.JfrSummary \$WORK/proxy.jfr 25 20 ''"
  jcmd "$PROXY_PID" JFR.dump name=bench filename="$WORK/proxy.jfr" >/dev/null
  java -cp "$BENCH_JAR" dev.temporalrbac.bench.JfrSummary "$WORK/proxy.jfr" 25 20 '' \
    >"$WORK/jfr-summary.txt" 2>&1 || true
  stop_pid "$PROXY_PID"
fi

# ------------------------------------------------------------------ long polls
log "long polls: $LONGPOLL_COUNT held for $LONGPOLL_HOLD s through a fresh proxy ($LONGPOLL_JVM_FLAGS)"
start_proxy longpoll "$LONGPOLL_JVM_FLAGS"
record "java $CLIENT_JVM_FLAGS -cp $BENCH_JAR dev.temporalrbac.bench.load.LoadHarness longpoll --target 127.0.0.1:$PROXY_PORT --count $LONGPOLL_COUNT --hold $LONGPOLL_HOLD --deadline $LONGPOLL_DEADLINE --channels 4 --admin 127.0.0.1:$ADMIN_PORT --pid PROXY_PID --principals $PRINCIPALS"
harness longpoll --label longpoll --target "127.0.0.1:$PROXY_PORT" --count "$LONGPOLL_COUNT" \
  --hold "$LONGPOLL_HOLD" --deadline "$LONGPOLL_DEADLINE" --channels 4 \
  --admin "127.0.0.1:$ADMIN_PORT" --pid "$PROXY_PID" --principals "$PRINCIPALS" \
  --out "$RESULTS" >/dev/null
tail -1 "$RESULTS" >&2
stop_pid "$PROXY_PID"

# ------------------------------------------------------------------ JMH (optional)
if [[ $JMH == 1 ]]; then
  log "JMH decision benchmark (principals=10,10000,100000, -prof gc)"
  record "java -jar $BENCH_JAR 'bench\.DecisionBenchmark' -p principals=10,10000,100000 -wi 3 -i 5 -prof gc -rf json -rff \$WORK/jmh.json"
  java -jar "$BENCH_JAR" 'bench\.DecisionBenchmark' -p principals=10,10000,100000 -wi 3 -i 5 -prof gc \
    -rf json -rff "$WORK/jmh.json" >"$WORK/jmh.txt" 2>&1 || true
  log "JMH JWT decision benchmark (RS256, ES256; verified-token cache hit and miss, -prof gc)"
  record "java -jar $BENCH_JAR JwtDecisionBenchmark -wi 3 -i 5 -prof gc -rf json -rff \$WORK/jmh-jwt.json"
  java -jar "$BENCH_JAR" JwtDecisionBenchmark -wi 3 -i 5 -prof gc \
    -rf json -rff "$WORK/jmh-jwt.json" >"$WORK/jmh-jwt.txt" 2>&1 || true
  log "policy load time and retained heap (10, 10 000, 100 000 principals)"
  record "java -Xms4g -Xmx4g -cp $BENCH_JAR dev.temporalrbac.bench.PolicyLoadMeasure"
  java -Xms4g -Xmx4g -cp "$BENCH_JAR" dev.temporalrbac.bench.PolicyLoadMeasure \
    >"$WORK/policy-load.txt" 2>&1 || true
fi

# ------------------------------------------------------------------ report
log "writing $OUT"
python3 - "$WORK" "$OUT" <<'EOF'
import json, os, re, sys
work, out = sys.argv[1], sys.argv[2]
rows = [json.loads(l) for l in open(os.path.join(work, "results.jsonl")) if l.strip()]
machine = dict(l.rstrip("\n").split("=", 1) for l in open(os.path.join(work, "machine.txt")) if "=" in l)
env = {k: os.environ.get(k, "") for k in ()}
def get(label, path, c=None):
    for r in rows:
        if r.get("label") == label and r.get("path") == path and (c is None or r.get("concurrency") == c):
            return r
    return None
def f(v, nd=0):
    if v is None: return "—"
    return f"{v:,.{nd}f}"
def ratio(a, b):
    return "—" if not a or not b else f"{a / b:.2f}"
def ms(us): return None if us is None else us / 1000
def median(xs):
    xs = sorted(x for x in xs if x is not None)
    if not xs: return None
    n = len(xs)
    return xs[n // 2] if n % 2 else (xs[n // 2 - 1] + xs[n // 2]) / 2
def by_round(prefix, c=None):
    """{round: {path: row}} for rows labelled prefix (round 1) or prefix-rN."""
    out = {}
    for r in rows:
        label = str(r.get("label", ""))
        if label == prefix:
            n = 1
        elif label.startswith(prefix + "-r") and label[len(prefix) + 2:].isdigit():
            n = int(label[len(prefix) + 2:])
        else:
            continue
        if c is not None and r.get("concurrency") != c: continue
        out.setdefault(n, {})[r.get("path")] = r
    return {n: p for n, p in sorted(out.items()) if all(k in p for k in ("direct", "proxy", "nginx"))}
def round_table(title, rounds_):
    """Writes a round-by-round table; returns the median per-round ratios (proxy/direct, proxy/nginx)."""
    if len(rounds_) < 2: return None
    w(title)
    w("")
    w("| round | direct calls/s | proxy calls/s | nginx calls/s | proxy ÷ direct | proxy ÷ nginx | nginx ÷ direct |")
    w("|---:|---:|---:|---:|---:|---:|---:|")
    pd, pn, nd = [], [], []
    for n, p in rounds_.items():
        d_, p_, n_ = (p[k].get("calls_per_s") for k in ("direct", "proxy", "nginx"))
        pd.append(p_ / d_ if d_ and p_ else None); pn.append(p_ / n_ if n_ and p_ else None); nd.append(n_ / d_ if d_ and n_ else None)
        w(f"| {n} | {f(d_)} | {f(p_)} | {f(n_)} | {ratio(p_, d_)} | {ratio(p_, n_)} | {ratio(n_, d_)} |")
    med = [median(p[k].get("calls_per_s") for p in rounds_.values()) for k in ("direct", "proxy", "nginx")]
    w(f"| **median** | {f(med[0])} | {f(med[1])} | {f(med[2])} | **{f(median(pd),2)}** | **{f(median(pn),2)}** | {f(median(nd),2)} |")
    w("")
    w("Ratios are taken within each round (the three paths measured back to back), then the median of those.")
    w("")
    return median(pd), median(pn)
L = []
w = L.append
w("# Benchmarks: the proxy's cost next to a direct connection and nginx `grpc_pass`")
w("")
w(f"Generated by `benchmarks/run.sh` on {machine.get('date_utc')} (commit `{machine.get('commit')}`"
  + (f", {machine.get('dirty')} uncommitted paths in the work tree" if machine.get('dirty', '0') != '0' else "") + "). "
  "Do not edit by hand; re-run the script. Absolute figures depend on the machine: compare the **ratios**.")
w("")
if machine.get("pin") == "1":
    w(f"**One machine, split in two.** The proxy or nginx (the system under test) runs on cores "
      f"`{machine.get('sut_cpus')}`, and the load generator, the upstream and h2load on cores "
      f"`{machine.get('load_cpus')}` (`taskset`), as if on separate machines: a path is slower than direct only "
      "if the proxy or nginx cannot keep up on its own cores, or adds latency. The direct path's ceiling is "
      "the load cores themselves (client plus upstream). For comparison, 64 in flight is also measured with "
      "every process allowed on every core (\"cores shared\"), where the proxy's CPU comes out of its own "
      "client's and upstream's budget.")
else:
    w("**One machine, shared cores.** The load generator, the upstream, and the proxy or nginx all run on the "
      f"same {machine.get('nproc')} cores, so every path competes with its own client for CPU and the absolute "
      "numbers are far lower than with separate machines.")
w("")
w("## Machine")
w("")
for k, label in [("nproc", "cores (nproc)"), ("cpu", "CPU"), ("mem", "memory"), ("kernel", "kernel"),
                 ("java", "java -version"), ("nginx", "nginx -v"), ("h2load", "h2load --version")]:
    w(f"- {label}: {machine.get(k, '?')}")
w("")
w("## Setup")
w("")
w(f"- Upstream: `LoadHarness upstream`, a grpc-java (Netty, direct executor) `WorkflowService` that answers "
  "`StartWorkflowExecution` at once and holds `PollWorkflowTaskQueue` until the caller's deadline. "
  f"JVM flags: `{os.environ.get('UPSTREAM_JVM_FLAGS')}`.")
w(f"- Proxy: `temporal-rbac-proxy serve`, enforcing, `--audit deny` to a file. JVM flags: `{os.environ.get('PROXY_JVM_FLAGS')}` "
  f"(long-poll run: `{os.environ.get('LONGPOLL_JVM_FLAGS')}`). Policy: {os.environ.get('PRINCIPALS')} users "
  "(developers with grants on 3 of 1000 namespaces), one 256-character API key each.")
w("- nginx: Debian's package, `grpc_pass` to the upstream with a keepalive pool, no authorization, "
  f"`worker_processes {os.environ.get('SUT_NCPU')}` (one per core it may use), `access_log off` (`benchmarks/nginx/nginx.conf.template`).")
w(f"- Client: `LoadHarness unary`, grpc-java (Netty), 4 channels round-robin, pre-serialized 1268-byte "
  f"`StartWorkflowExecutionRequest`s, a random user per call, `authorization: Bearer <key>`. Closed loop: "
  f"N calls always in flight; every path is first driven at 64 in flight for {int(os.environ.get('WARMUP', '3')) * 10} s (JIT warm-up, not reported), then each point's fresh client JVM "
  f"runs {os.environ.get('PREWARM')} s at 64 in flight unmeasured (its own JIT warm-up), then {os.environ.get('WARMUP')} s at the point's load, then {os.environ.get('DURATION')} s measured. "
  f"JVM flags: `{os.environ.get('CLIENT_JVM_FLAGS')}`. Latency is client-observed, from a log-linear histogram (<1 % error).")
w("- CPU per 1000 calls: utime+stime of the process (all threads; nginx: master and workers) from `/proc/PID/stat`, "
  "read at the start and the end of the measured window, divided by the calls completed in it.")
w("")
w("## Unary `StartWorkflowExecution`, closed loop")
w("")
w("| in flight | path | calls/s | p50 ms | p99 ms | p99.9 ms | errors | CPU s / 1000 calls (proxy or nginx) | upstream CPU s / 1000 | client CPU s / 1000 |")
w("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|")
concs = sorted({r["concurrency"] for r in rows if r.get("label") == "unary"})
for c in concs:
    for p in ("direct", "proxy", "nginx"):
        r = get("unary", p, c)
        if not r: continue
        w(f"| {c} | {p} | {f(r['calls_per_s'])} | {f(ms(r['p50_us']),2)} | {f(ms(r['p99_us']),2)} | {f(ms(r['p999_us']),2)} | "
          f"{r['errors']} | {f(r.get('mid_cpu_s_per_1k'),3) if p != 'direct' else '—'} | {f(r.get('upstream_cpu_s_per_1k'),3)} | {f(r.get('client_cpu_s_per_1k'),3)} |")
w("")
w("### Ratios")
w("")
w("| in flight | throughput proxy ÷ direct | throughput proxy ÷ nginx | p99 proxy ÷ direct | p99 proxy ÷ nginx | p99 added by the proxy vs direct (ms) |")
w("|---:|---:|---:|---:|---:|---:|")
for c in concs:
    d, p, n = get("unary", "direct", c), get("unary", "proxy", c), get("unary", "nginx", c)
    if not (d and p and n): continue
    w(f"| {c} | {ratio(p['calls_per_s'], d['calls_per_s'])} | {ratio(p['calls_per_s'], n['calls_per_s'])} | "
      f"{ratio(p['p99_us'], d['p99_us'])} | {ratio(p['p99_us'], n['p99_us'])} | {f(ms(p['p99_us'] - d['p99_us']),2)} |")
w("")
RATIO64 = round_table(f"### 64 in flight, {len(by_round('unary', 64))} rounds (the table above shows round 1)", by_round("unary", 64))
dn = get("deny", "proxy")
if dn:
    base = get("unary", "proxy", dn["concurrency"])
    w(f"### {int(round(dn['deny_fraction'] * 100))} % denied calls (proxy, {dn['concurrency']} in flight)")
    w("")
    w("| run | calls/s | allowed | denied | wrong outcome | p50 ms | p99 ms | p99.9 ms | CPU s / 1000 calls |")
    w("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    if base:
        w(f"| all allowed | {f(base['calls_per_s'])} | {base['ok']:,} | {base['denied']:,} | {base['wrong_outcome']} | {f(ms(base['p50_us']),2)} | {f(ms(base['p99_us']),2)} | {f(ms(base['p999_us']),2)} | {f(base.get('mid_cpu_s_per_1k'),3)} |")
    w(f"| {int(round(dn['deny_fraction'] * 100))} % denied | {f(dn['calls_per_s'])} | {dn['ok']:,} | {dn['denied']:,} | {dn['wrong_outcome']} | {f(ms(dn['p50_us']),2)} | {f(ms(dn['p99_us']),2)} | {f(ms(dn['p999_us']),2)} | {f(dn.get('mid_cpu_s_per_1k'),3)} |")
    w("")
    w("Denied calls are answered by the proxy (`PERMISSION_DENIED`, one audit record each) without reaching the upstream.")
    w("")
shared = [get("shared", p, 64) for p in ("direct", "proxy", "nginx")]
if all(shared):
    sd, sp, sn = shared
    w("### 64 in flight, cores shared (no split)")
    w("")
    w("The same three paths with every process (client, upstream, proxy or nginx) allowed on every core. "
      "Here throughput is bounded by the sum of all processes' CPU per call, so the ratio to direct mostly "
      "says how much CPU the middle process costs next to a client and an upstream, not whether it keeps up.")
    w("")
    w("| path | calls/s | p50 ms | p99 ms | p99.9 ms | CPU s / 1000 calls (proxy or nginx) | upstream CPU s / 1000 | client CPU s / 1000 |")
    w("|---|---:|---:|---:|---:|---:|---:|---:|")
    for r in shared:
        w(f"| {r['path']} | {f(r['calls_per_s'])} | {f(ms(r['p50_us']),2)} | {f(ms(r['p99_us']),2)} | {f(ms(r['p999_us']),2)} | "
          f"{f(r.get('mid_cpu_s_per_1k'),3) if r['path'] != 'direct' else '—'} | {f(r.get('upstream_cpu_s_per_1k'),3)} | {f(r.get('client_cpu_s_per_1k'),3)} |")
    w("")
    w(f"Ratios: proxy ÷ direct **{ratio(sp['calls_per_s'], sd['calls_per_s'])}**, proxy ÷ nginx **{ratio(sp['calls_per_s'], sn['calls_per_s'])}**, "
      f"nginx ÷ direct {ratio(sn['calls_per_s'], sd['calls_per_s'])}.")
    w("")
def load_busy(r):
    """Share of the load cores the client and upstream used during an open-loop run."""
    try:
        per_call = (r.get("client_cpu_s_per_1k") or 0) + (r.get("upstream_cpu_s_per_1k") or 0)
        return per_call / 1000 * r["calls_per_s"] / int(os.environ.get("LOAD_NCPU") or machine.get("nproc") or 1)
    except (KeyError, TypeError, ValueError):
        return None
half = [get("half", p) for p in ("direct", "proxy", "nginx")]
quarter = [get("quarter", p) for p in ("direct", "proxy", "nginx")]
if all(half):
    w(f"## Open loop at half and a quarter of the proxy's maximum throughput (half: {f(half[0]['rate'])} calls/s)")
    w("")
    w("Open loop: calls are sent at a fixed rate whatever the latency (at most 1024 in flight; beyond that a "
      "call is skipped and counted), from a client JVM first warmed up in a closed loop. \"Load cores busy\" is "
      "the client's and upstream's CPU during the run over the load cores' capacity: near 100 % the generator "
      "itself queues calls and the percentiles measure it, not the path.")
    w("")
    w("| rate | path | calls/s | p50 ms | p99 ms | p99.9 ms | skipped (over 1024 in flight) | CPU s / 1000 calls | load cores busy |")
    w("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, runs in (("half", half), ("quarter", quarter)):
        if not all(runs): continue
        for r in runs:
            busy = load_busy(r)
            w(f"| {name} ({f(r['rate'])}/s) | {r['path']} | {f(r['calls_per_s'])} | {f(ms(r['p50_us']),2)} | {f(ms(r['p99_us']),2)} | {f(ms(r['p999_us']),2)} | {r.get('skipped', 0)} | "
              f"{f(r.get('mid_cpu_s_per_1k'),3) if r['path'] != 'direct' else '—'} | {'—' if busy is None else f'{busy * 100:.0f} %'} |")
    w("")
    w(f"p99 added by the proxy at half load: **{f(ms(half[1]['p99_us'] - half[0]['p99_us']),2)} ms** vs direct, "
      f"{f(ms(half[1]['p99_us'] - half[2]['p99_us']),2)} ms vs nginx.")
    if all(quarter):
        w(f" At a quarter: {f(ms(quarter[1]['p99_us'] - quarter[0]['p99_us']),2)} ms vs direct, "
          f"{f(ms(quarter[1]['p99_us'] - quarter[2]['p99_us']),2)} ms vs nginx.")
    w("")
w("## Memory and threads of the servers (whole unary + h2load run)")
w("")
kib = lambda k: f"{int(machine.get(k, 0)) / 1024:,.0f} MiB"
w(f"- proxy: peak RSS (VmHWM) **{kib('proxy_hwm_kib')}** (idle after start: {kib('proxy_rss_idle_kib')}), {machine.get('proxy_threads')} threads at the end")
w(f"- nginx: peak RSS, master and workers summed: {kib('nginx_hwm_kib_sum')}")
w(f"- upstream (harness JVM): peak RSS {kib('upstream_hwm_kib')}")
w("")
h2 = {p: get("h2load", p) for p in ("direct", "proxy", "nginx")}
if all(h2.values()):
    w(f"## h2load (independent load generator), unary `StartWorkflowExecution`, {h2['direct']['concurrency']} in flight")
    w("")
    w(f"`h2load -t 1 -c {os.environ.get('H2LOAD_CONNECTIONS')} -m {os.environ.get('H2LOAD_STREAMS')} -D {os.environ.get('H2LOAD_DURATION')} --warm-up-time=2`, the same framed request for one allowed user. "
      "h2load reports HTTP status only (gRPC status is in trailers), mean and max latency but no percentiles.")
    w("")
    w("| path | req/s | mean ms | sd ms | max ms | failed | CPU s / 1000 calls |")
    w("|---|---:|---:|---:|---:|---:|---:|")
    for p, r in h2.items():
        w(f"| {p} | {f(r.get('calls_per_s'))} | {f(ms(r.get('mean_us')),2)} | {f(ms(r.get('sd_us')),2)} | {f(ms(r.get('max_us')),2)} | {r.get('failed')} | {f(r.get('mid_cpu_s_per_1k'),3)} |")
    w("")
    w(f"Ratios: proxy ÷ direct **{ratio(h2['proxy'].get('calls_per_s'), h2['direct'].get('calls_per_s'))}**, "
      f"proxy ÷ nginx **{ratio(h2['proxy'].get('calls_per_s'), h2['nginx'].get('calls_per_s'))}**, nginx ÷ direct {ratio(h2['nginx'].get('calls_per_s'), h2['direct'].get('calls_per_s'))}.")
    w("")
    round_table(f"### h2load, {len(by_round('h2load'))} rounds (the table above shows round 1)", by_round("h2load"))
lp = get("longpoll", None) or next((r for r in rows if r.get("mode") == "longpoll"), None)
if lp:
    gc = lp.get("after_full_gc") or {}
    w(f"## Long polls: {lp['count']:,} `PollWorkflowTaskQueue` held open through a fresh proxy")
    w("")
    w(f"Deadline {lp['deadline_s']} s, held {lp['hold_s']:.0f} s after all were opened ({lp['open_seconds']} s to open), 4 client channels; "
      f"proxy JVM flags `{os.environ.get('LONGPOLL_JVM_FLAGS')}`. Sampled every 5 s: heap used (sum of `jvm_memory_used_bytes{{area=\"heap\"}}` from `/metrics`), "
      "RSS from `/proc/PID/status`, live threads (`jvm_threads_live_threads`); then a full GC (`jcmd PID GC.run`) with the calls still open.")
    w("")
    w("| open during hold (min) | open at end | closed early | max heap used | heap after full GC | max RSS | peak RSS (VmHWM) | max live threads | before: heap / RSS / threads |")
    w("|---:|---:|---|---:|---:|---:|---:|---:|---|")
    b = lp.get("before") or {}
    w(f"| {lp['min_open_during_hold']:,} | {lp['open_at_end']:,} | {json.dumps(lp.get('closed_early'))} | {lp['max_heap_used_mib']} MiB | {gc.get('heap_used_mib')} MiB | "
      f"{lp['max_rss_mib']} MiB | {gc.get('hwm_mib')} MiB | {lp['max_threads']} | {b.get('heap_used_mib')} MiB / {b.get('rss_mib')} MiB / {b.get('threads')} |")
    w("")
# targets
w("## Targets")
w("")
d64, p64, n64 = get("unary", "direct", 64), get("unary", "proxy", 64), get("unary", "nginx", 64)
def met(b): return "**met**" if b else "**not met**"
if RATIO64 and RATIO64[0] is not None and RATIO64[1] is not None:
    nr = len(by_round("unary", 64))
    w(f"- Throughput at 64 in flight ≥ nginx's: proxy ÷ nginx = {RATIO64[1]:.2f} (median of {nr} rounds) — {met(RATIO64[1] >= 1)}.")
    w(f"- Throughput at 64 in flight ≥ 80 % of direct: proxy ÷ direct = {RATIO64[0]:.2f} (median of {nr} rounds) — {met(RATIO64[0] >= 0.8)}"
      + (f" with the proxy on its own cores; with every core shared: {ratio(shared[1]['calls_per_s'], shared[0]['calls_per_s'])}." if all(shared) else "."))
elif d64 and p64 and n64:
    w(f"- Throughput at 64 in flight ≥ nginx's: proxy ÷ nginx = {ratio(p64['calls_per_s'], n64['calls_per_s'])} — {met(p64['calls_per_s'] >= n64['calls_per_s'])}.")
    w(f"- Throughput at 64 in flight ≥ 80 % of direct: proxy ÷ direct = {ratio(p64['calls_per_s'], d64['calls_per_s'])} — {met(p64['calls_per_s'] >= 0.8 * d64['calls_per_s'])}"
      + (f" with the proxy on its own cores; with every core shared: {ratio(shared[1]['calls_per_s'], shared[0]['calls_per_s'])}." if all(shared) else "."))
if all(half):
    added = ms(half[1]['p99_us'] - half[0]['p99_us'])
    busy = max((b for b in (load_busy(r) for r in half) if b is not None), default=None)
    if busy is not None and busy > 0.85:
        verdict = (f"**not judged**: the load cores were {busy * 100:.0f} % busy at that rate, so the generator's "
                   "own queueing is in every path's p99 (separate machines are needed to judge it)")
    else:
        verdict = met(added < 1)
    w(f"- p99 added latency under 1 ms at half of the maximum load: {f(added,2)} ms — {verdict}.")
    if all(quarter):
        q_added = ms(quarter[1]['p99_us'] - quarter[0]['p99_us'])
        q_busy = max((b for b in (load_busy(r) for r in quarter) if b is not None), default=None)
        q_verdict = ("not judged either (the generator was near saturation)" if q_busy is not None and q_busy > 0.85
                     else f"{met(q_added < 1)} at that rate")
        w(f"  At a quarter of the maximum ({f(quarter[0]['rate'])} calls/s, load cores "
          f"{'?' if q_busy is None else f'{q_busy * 100:.0f} %'} busy): {f(q_added,2)} ms added at p99 vs direct "
          f"(nginx adds {f(ms(quarter[2]['p99_us'] - quarter[0]['p99_us']),2)} ms) — {q_verdict}.")
if lp:
    gc = lp.get("after_full_gc") or {}
    ok = lp['min_open_during_hold'] >= lp['count'] and lp['max_heap_used_mib'] < 512
    w(f"- {lp['count']:,} idle long polls in under 512 MiB heap with bounded threads: {lp['min_open_during_hold']:,} held, max heap used {lp['max_heap_used_mib']} MiB "
      f"(live after full GC {gc.get('heap_used_mib')} MiB; JVM flags `{os.environ.get('LONGPOLL_JVM_FLAGS')}`), {lp['max_threads']} threads — {met(ok)}.")
w("")
jfr = os.path.join(work, "jfr-summary.txt")
if os.path.exists(jfr):
    w("## Where the proxy's CPU goes (JFR, 64 in flight, 20 s)")
    w("")
    w("`-XX:StartFlightRecording=settings=profile` on a separate proxy process (not the one measured above), "
      "summarized by `dev.temporalrbac.bench.JfrSummary` (execution samples of all threads, last 20 s).")
    w("")
    w("```")
    text = open(jfr).read()
    idx = text.find("== CPU")
    w(text[idx:].strip()[:6000] if idx >= 0 else text.strip()[:6000])
    w("```")
    w("")
def jmh_table(path):
    """The JMH result table of one run, without its per-second GC rows."""
    t = open(path).read()
    m = re.search(r"^Benchmark\s.*Mode\s+Cnt.*$", t, re.M)
    table = t[m.start():].strip().splitlines() if m else t[-4000:].splitlines()
    keep = [l for l in table if not re.search(r":(gc\.alloc\.rate|gc\.count|gc\.time) ", l)
            and not l.startswith("Benchmark result is saved")]
    w("```")
    w("\n".join(keep))
    w("```")
    w("")
jmh = os.path.join(work, "jmh.txt")
if os.path.exists(jmh):
    w("## JMH decision benchmark")
    w("")
    w("`-prof gc`; `gc.alloc.rate.norm` is bytes allocated per decision. `pickOnly` and `pickAndReadSecret` are the "
      "harness's own cost (picking a user, and reading its cold 256-character secret at 100 000 users), included in the "
      "`decide*` figures.")
    w("")
    jmh_table(jmh)
jmh_jwt = os.path.join(work, "jmh-jwt.txt")
if os.path.exists(jmh_jwt):
    w("## JMH decision benchmark, JWT callers")
    w("")
    w("The same `StartWorkflowExecution` decided for a caller sending a JWT (10 000 users, 1024 tokens, JWKS loaded). "
      "`Cached`: the token was verified before (verified-token cache hit); `Uncached`: the cache is off, so every "
      "decision verifies the signature, as a token's first call does.")
    w("")
    jmh_table(jmh_jwt)
pl = os.path.join(work, "policy-load.txt")
if os.path.exists(pl):
    w("## Policy load time and retained heap")
    w("")
    w("`dev.temporalrbac.bench.PolicyLoadMeasure` (1000 namespaces, one API key per user).")
    w("")
    for l in open(pl):
        if l.startswith("|"):
            w(l.rstrip("\n"))
    w("")
w("## Commands")
w("")
w("`$WORK` is the script's temporary directory; `$SECRET` the API key of the fixture's first user. Environment: "
  + ", ".join(f"`{k}={os.environ.get(k)}`" for k in ("DURATION", "WARMUP", "CONCURRENCY", "PRINCIPALS", "DENY_FRACTION",
     "H2LOAD_DURATION", "LONGPOLL_COUNT", "LONGPOLL_HOLD", "PROFILE", "JMH")) + ".")
w("")
w("```sh")
w("benchmarks/run.sh")
w("# which ran:")
for line in open(os.path.join(work, "commands.txt")):
    w(line.rstrip("\n").replace(work, "$WORK"))
w("```")
w("")
w("## Raw results (JSON lines)")
w("")
w("```json")
for r in rows:
    w(json.dumps(r).replace(work, "$WORK"))
w("```")
open(out, "w").write("\n".join(L) + "\n")
EOF
log "done: $OUT"
