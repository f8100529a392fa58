#!/usr/bin/env bash
# Hostile input against temporal-rbac-proxy (issue 9): every attack of dev.temporalrbac.bench.attack
# run against the built fat jar on loopback, measured, and written up as reliability/RELIABILITY.md.
#
#   reliability/run.sh            # everything, ~15 minutes on 2 cores
#   QUICK=1 reliability/run.sh    # smaller volumes, one 5 s outage: a smoke run (~2-4 minutes)
#   ATTACKS="fuzz rapid-reset" reliability/run.sh   # only these (names as in the table)
#
# Environment (defaults in brackets; QUICK=1 defaults after the bar):
#   FUZZ_COUNT [160000 | 10000]      fuzzed bodies sent as a caller with write on payments only
#   FUZZ_SECONDS [240 | 20]          ...or as many as fit in this time (the volume is what was sent)
#   FUZZ_CONCURRENCY [64]            fuzzed calls in flight
#   BARE_COUNT [200 | 50]            calls with "authorization: <key>" (no Bearer)
#   TWO_MESSAGES_COUNT [5000 | 500]  unary calls sending two messages, all on one connection
#   OVERSIZE_COUNT [8 | 4]  OVERSIZE_MIB [120]          uncompressed requests at once
#   GZIP_COUNT [48 | 12]  GZIP_INFLATE_MIB [1024 | 256]  gzip bombs at once
#   RESET_COUNT [100000 | 20000]     HEADERS+RST_STREAM pairs on one connection (stops at GOAWAY)
#   ORACLE_COUNT [2000 | 300]        PolicyAdmin/Explain key guesses per port
#   SLOWLORIS_CONNECTIONS [64]  SLOWLORIS_HOLD [10 | 3]  unfinished HTTP requests on the admin port
#   POLICY_HOLD [8 | 5]              seconds the cut policy file stays in place
#   BLACKHOLE_COUNT [20 | 5]         calls without a deadline to a black-holed upstream...
#   BLACKHOLE_GIVE_UP [30 | 12]      ...given up on (and counted as hung) after this many seconds
#   FROZEN_CALL_DEADLINE [40 | 25]   deadline (s) of the calls sent while the upstream is SIGSTOPped
#   OUTAGES ["10,45" | "5"]          upstream outages (s), each followed by the time until calls pass
#   STEADY_RATE [20]                 legitimate calls/s beside each attack (their own connection)
#   MAX_RESETS [500]  CONNECT_TIMEOUT_S [5]   the proxy settings the verdicts are judged against
#   PROXY_JVM_FLAGS ["-Xms1g -Xmx1g -XX:+UseG1GC -Xmn128m"] (the README's)
#   TOOL_JVM_FLAGS ["-Xms256m -Xmx2g -XX:+UseG1GC"]  UPSTREAM_JVM_FLAGS ["-Xms256m -Xmx1g -XX:+UseG1GC"]
#   ATTACK_TIMEOUT [300]  seconds after which one attack's process is killed (a hang is a result)
#   ATTACKS [all]  SKIP_BUILD [0]  OUT [reliability/RELIABILITY.md]  KEEP_WORK [0]
#
# Everything listens on 127.0.0.1 only; every process started here is stopped on exit (a SIGSTOPped
# upstream is continued first). jcmd and the JDK on PATH measure heap; /proc/PID/status gives RSS.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
QUICK=${QUICK:-0}
q() { if [[ $QUICK == 1 ]]; then echo "$2"; else echo "$1"; fi; }
FUZZ_COUNT=${FUZZ_COUNT:-$(q 160000 10000)}
FUZZ_SECONDS=${FUZZ_SECONDS:-$(q 240 20)}
FUZZ_CONCURRENCY=${FUZZ_CONCURRENCY:-64}
BARE_COUNT=${BARE_COUNT:-$(q 200 50)}
TWO_MESSAGES_COUNT=${TWO_MESSAGES_COUNT:-$(q 5000 500)}
OVERSIZE_COUNT=${OVERSIZE_COUNT:-$(q 8 4)}
OVERSIZE_MIB=${OVERSIZE_MIB:-120}
GZIP_COUNT=${GZIP_COUNT:-$(q 48 12)}
GZIP_INFLATE_MIB=${GZIP_INFLATE_MIB:-$(q 1024 256)}
RESET_COUNT=${RESET_COUNT:-$(q 100000 20000)}
ORACLE_COUNT=${ORACLE_COUNT:-$(q 2000 300)}
SLOWLORIS_CONNECTIONS=${SLOWLORIS_CONNECTIONS:-64}
SLOWLORIS_HOLD=${SLOWLORIS_HOLD:-$(q 10 3)}
POLICY_HOLD=${POLICY_HOLD:-$(q 8 5)}
BLACKHOLE_COUNT=${BLACKHOLE_COUNT:-$(q 20 5)}
BLACKHOLE_GIVE_UP=${BLACKHOLE_GIVE_UP:-$(q 30 12)}
FROZEN_CALL_DEADLINE=${FROZEN_CALL_DEADLINE:-$(q 40 25)}
OUTAGES=${OUTAGES:-$(q "10,45" "5")}
STEADY_RATE=${STEADY_RATE:-20}
MAX_RESETS=${MAX_RESETS:-500}
CONNECT_TIMEOUT_S=${CONNECT_TIMEOUT_S:-5}
PROXY_JVM_FLAGS=${PROXY_JVM_FLAGS:-"-Xms1g -Xmx1g -XX:+UseG1GC -Xmn128m"}
TOOL_JVM_FLAGS=${TOOL_JVM_FLAGS:-"-Xms256m -Xmx2g -XX:+UseG1GC"}
UPSTREAM_JVM_FLAGS=${UPSTREAM_JVM_FLAGS:-"-Xms256m -Xmx1g -XX:+UseG1GC"}
ATTACK_TIMEOUT=${ATTACK_TIMEOUT:-300}
ATTACKS=${ATTACKS:-all}
SKIP_BUILD=${SKIP_BUILD:-0}
OUT=${OUT:-$HERE/RELIABILITY.md}
KEEP_WORK=${KEEP_WORK:-0}
export QUICK FUZZ_COUNT FUZZ_SECONDS BARE_COUNT TWO_MESSAGES_COUNT OVERSIZE_COUNT OVERSIZE_MIB GZIP_COUNT \
  GZIP_INFLATE_MIB RESET_COUNT ORACLE_COUNT SLOWLORIS_CONNECTIONS SLOWLORIS_HOLD POLICY_HOLD \
  BLACKHOLE_COUNT BLACKHOLE_GIVE_UP FROZEN_CALL_DEADLINE OUTAGES STEADY_RATE MAX_RESETS CONNECT_TIMEOUT_S \
  PROXY_JVM_FLAGS TOOL_JVM_FLAGS

PROXY_JAR=$ROOT/proxy/target/temporal-rbac-proxy.jar
BENCH_JAR=$ROOT/benchmarks/target/benchmarks.jar
WORK=$(mktemp -d /tmp/trp-rel.XXXXXX)
RESULTS=$WORK/results.jsonl # one line per attack from the tool
META=$WORK/meta.jsonl       # one line per attack from this script (heap, RSS, log)
COMMANDS=$WORK/commands.txt
PIDS=()
STARTED=$(date -u +%Y-%m-%dT%H:%M:%SZ)
LOAD_AT_START=$(cut -d' ' -f1-3 /proc/loadavg)
export STARTED LOAD_AT_START

log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

cleanup() {
  local rc=$?
  for pid in "${PIDS[@]}"; do
    kill -CONT "$pid" 2>/dev/null || true
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

record() { printf '%s\n' "$*" >>"$COMMANDS"; }

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# Waits (bounded) until a URL answers 200.
wait_http() {
  local url=$1 tries=${2:-120}
  for _ in $(seq 1 "$tries"); do
    [[ $(curl -s -o /dev/null -m 2 -w '%{http_code}' "$url" || true) == 200 ]] && return 0
    sleep 0.5
  done
  log "timed out waiting for $url"
  return 1
}

wanted() { [[ $ATTACKS == all || " $ATTACKS " == *" $1 "* ]]; }

rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo null; }
# Heap in use (KiB) from jcmd GC.heap_info: "garbage-first heap   total 1048576K, used 123456K".
heap_kib() {
  timeout 20 jcmd "$1" GC.heap_info 2>/dev/null | awk '/ heap / && /used/ {
    for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub(/K.*/, "", v); print v; exit } }' \
    | grep . || echo null
}

# ------------------------------------------------------------------ build
cd "$ROOT"
if [[ $SKIP_BUILD != 1 ]]; then
  log "building the proxy's fat jar and the benchmarks module"
  record "mvn -B -ntp -q -pl proxy -am package -DskipTests"
  mvn -B -ntp -q -pl proxy -am package -DskipTests
  record "mvn -B -ntp -q -P benchmarks -pl benchmarks -am package -DskipTests"
  mvn -B -ntp -q -P benchmarks -pl benchmarks -am package -DskipTests
fi
for tool in java jcmd curl python3 timeout; do
  command -v "$tool" >/dev/null || { log "$tool is needed on PATH"; exit 1; }
done

tool() { # tool ATTACK ARGS...: the attack tool, bounded
  # shellcheck disable=SC2086
  timeout "$ATTACK_TIMEOUT" java $TOOL_JVM_FLAGS -cp "$BENCH_JAR" dev.temporalrbac.bench.attack.AttackTool "$@"
}

# ------------------------------------------------------------------ processes
cp "$ROOT/examples/policy.yaml" "$WORK/policy.yaml"
UP_PORT=$(free_port)
UP_STATS=$(free_port)
record "java $UPSTREAM_JVM_FLAGS -cp benchmarks.jar dev.temporalrbac.bench.attack.AttackTool upstream --port $UP_PORT --stats-port $UP_STATS --allowed payments"
# shellcheck disable=SC2086
java $UPSTREAM_JVM_FLAGS -cp "$BENCH_JAR" dev.temporalrbac.bench.attack.AttackTool upstream \
  --port "$UP_PORT" --stats-port "$UP_STATS" --allowed payments --lifetime-seconds 3600 \
  >"$WORK/upstream.log" 2>&1 &
UP_PID=$!
PIDS+=("$UP_PID")
STATS_URL=http://127.0.0.1:$UP_STATS/stats
wait_http "$STATS_URL"

declare -A PROXY_PID PROXY_PORT PROXY_ADMIN PROXY_LOG PROXY_UP PROXY_READY
# start_proxy NAME UPSTREAM_PORT READY_PATH: a fresh proxy with the README's JVM flags, log to a file.
start_proxy() {
  local name=$1 upstream=$2 ready=$3 port admin
  port=$(free_port)
  admin=$(free_port)
  PROXY_LOG[$name]=$WORK/proxy-$name.log
  PROXY_UP[$name]=$upstream
  PROXY_READY[$name]=$ready
  record "java $PROXY_JVM_FLAGS -jar temporal-rbac-proxy.jar serve --upstream 127.0.0.1:$upstream --policy \$WORK/policy.yaml --listen 127.0.0.1:$port --admin 127.0.0.1:$admin --audit-file \$WORK/audit-$name.jsonl"
  # shellcheck disable=SC2086
  java $PROXY_JVM_FLAGS -jar "$PROXY_JAR" serve --upstream "127.0.0.1:$upstream" \
    --policy "$WORK/policy.yaml" --listen "127.0.0.1:$port" --admin "127.0.0.1:$admin" \
    --audit-file "$WORK/audit-$name.jsonl" >>"${PROXY_LOG[$name]}" 2>&1 &
  PROXY_PID[$name]=$!
  PIDS+=("${PROXY_PID[$name]}")
  PROXY_PORT[$name]=$port
  PROXY_ADMIN[$name]=127.0.0.1:$admin
  wait_http "http://127.0.0.1:$admin$ready"
}

# run_attack LABEL PROXY ATTACK ARGS...: one attack, with heap/RSS before and after and the proxy
# log's errors during it; a proxy that died is started again for the next attack.
run_attack() {
  local label=$1 name=$2 attack=$3
  shift 3
  wanted "$label" || return 0
  local pid=${PROXY_PID[$name]} logf=${PROXY_LOG[$name]} offset hb rb ha ra rc=0 alive=true
  offset=$(stat -c %s "$logf")
  hb=$(heap_kib "$pid")
  rb=$(rss_kib "$pid")
  log "attack $label ($attack) on proxy $name"
  record "AttackTool $attack --label $label --target 127.0.0.1:${PROXY_PORT[$name]} --admin ${PROXY_ADMIN[$name]} $*"
  tool "$attack" --label "$label" --target "127.0.0.1:${PROXY_PORT[$name]}" \
    --admin "${PROXY_ADMIN[$name]}" --secret example-ci-secret --allowed payments --foreign billing \
    --steady-rate "$STEADY_RATE" --out "$RESULTS" "$@" >/dev/null 2>>"$WORK/tool.err" || rc=$?
  if kill -0 "$pid" 2>/dev/null; then
    ha=$(heap_kib "$pid")
    ra=$(rss_kib "$pid")
  else
    alive=false ha=null ra=null
  fi
  tail -c +"$((offset + 1))" "$logf" >"$WORK/log-$label.txt"
  LABEL=$label HB=$hb RB=$rb HA=$ha RA=$ra RC=$rc ALIVE=$alive LOGPART=$WORK/log-$label.txt \
    python3 - >>"$META" <<'EOF'
import json, os, re
text = open(os.environ["LOGPART"], errors="replace").read().splitlines()
pat = re.compile(r"OutOfMemoryError|LEAK|SEVERE|Exception")
bad = [l for l in text if pat.search(l)]
num = lambda k: None if os.environ[k] in ("null", "") else int(os.environ[k])
print(json.dumps({"attack": os.environ["LABEL"], "heap_before_kib": num("HB"), "heap_after_kib": num("HA"),
  "rss_before_kib": num("RB"), "rss_after_kib": num("RA"), "tool_rc": int(os.environ["RC"]),
  "proxy_alive_after": os.environ["ALIVE"] == "true", "log_errors": len(bad),
  "log_oom": sum("OutOfMemoryError" in l for l in bad), "log_first_error": bad[0][:240] if bad else None}))
EOF
  if [[ $alive == false ]]; then
    log "proxy $name died during $label; starting a new one"
    start_proxy "$name" "${PROXY_UP[$name]}" "${PROXY_READY[$name]}"
  fi
}

# ------------------------------------------------------------------ attacks on a working upstream
start_proxy main "$UP_PORT" /readyz
A=(--stats "$STATS_URL")
run_attack fuzz main fuzz "${A[@]}" --count "$FUZZ_COUNT" --max-seconds "$FUZZ_SECONDS" \
  --concurrency "$FUZZ_CONCURRENCY"
run_attack bare-auth main bare-auth "${A[@]}" --count "$BARE_COUNT"
run_attack two-messages main two-messages "${A[@]}" --count "$TWO_MESSAGES_COUNT"
run_attack oversize main oversize "${A[@]}" --count "$OVERSIZE_COUNT" --size-mib "$OVERSIZE_MIB"
run_attack gzip-bomb main gzip-bomb "${A[@]}" --count "$GZIP_COUNT" --inflate-mib "$GZIP_INFLATE_MIB"
run_attack rapid-reset main rapid-reset "${A[@]}" --count "$RESET_COUNT" --max-resets "$MAX_RESETS"
run_attack explain-oracle main explain-oracle "${A[@]}" --count "$ORACLE_COUNT"
run_attack admin-slowloris main admin-slowloris --connections "$SLOWLORIS_CONNECTIONS" --hold-seconds "$SLOWLORIS_HOLD"
run_attack policy-cut main policy-cut --policy "$WORK/policy.yaml" --hold-seconds "$POLICY_HOLD"
# readiness: the README's bound, upstream.probe_interval (1 s) + upstream.keepalive_timeout (5 s),
# plus one monitor tick (1 s) for readiness to be read off
run_attack frozen main frozen --upstream-pid "$UP_PID" --call-deadline-s "$FROZEN_CALL_DEADLINE" \
  --max-seconds "$FROZEN_CALL_DEADLINE" --ready-within-s 7

# ------------------------------------------------------------------ broken upstreams
if wanted blackhole; then
  HOLE_PORT=$(free_port)
  # shellcheck disable=SC2086
  java -Xmx128m -cp "$BENCH_JAR" dev.temporalrbac.bench.attack.AttackTool hole --port "$HOLE_PORT" \
    --lifetime-seconds 1800 >"$WORK/hole.log" 2>&1 &
  PIDS+=("$!")
  sleep 1
  start_proxy blackhole "$HOLE_PORT" /healthz
  run_attack blackhole blackhole blackhole --count "$BLACKHOLE_COUNT" --give-up-seconds "$BLACKHOLE_GIVE_UP" --connect-timeout-s "$CONNECT_TIMEOUT_S"
fi
if wanted outage; then
  OUT_PORT=$(free_port)
  start_proxy outage "$OUT_PORT" /healthz
  run_attack outage outage outage --upstream-port "$OUT_PORT" --outages "$OUTAGES"
fi

# ------------------------------------------------------------------ report
export WORK OUT ROOT
GIT_COMMIT=$(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet HEAD -- proxy policy proto 2>/dev/null || echo "+uncommitted")
JAVA_VERSION=$(java -version 2>&1 | head -1)
export GIT_COMMIT JAVA_VERSION
python3 "$HERE/report.py"
log "done: $OUT"
