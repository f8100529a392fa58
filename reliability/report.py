#!/usr/bin/env python3
"""Writes RELIABILITY.md from run.sh's work directory (results.jsonl from the attack tool,
meta.jsonl from run.sh). Run by run.sh; reads its settings from the environment."""
import json
import os
import platform

work, out = os.environ["WORK"], os.environ["OUT"]
env = os.environ.get


def lines(name):
    path = os.path.join(work, name)
    if not os.path.exists(path):
        return []
    return [json.loads(l) for l in open(path) if l.strip().startswith("{")]


results = {r["attack"]: r for r in lines("results.jsonl")}
meta = {m["attack"]: m for m in lines("meta.jsonl")}
order = [a for a in ("fuzz", "bare-auth", "two-messages", "oversize", "gzip-bomb", "rapid-reset",
                     "explain-oracle", "admin-slowloris", "policy-cut", "frozen", "blackhole",
                     "outage") if a in meta]

EXPECTED = {
    "fuzz": "switch-back bodies PERMISSION_DENIED and not forwarded; 0 wrong allows",
    "bare-auth": "all UNAUTHENTICATED, nothing forwarded (a key without `Bearer` is no credential)",
    "two-messages": "every call ends at once, non-OK (INTERNAL); upstream call cancelled",
    "oversize": "all RESOURCE_EXHAUSTED (limits.max_request_bytes 4 MiB); no OOM; steady calls pass",
    "gzip-bomb": "all RESOURCE_EXHAUSTED (4 MiB after inflation, 256 MiB buffer budget); no OOM; steady calls pass",
    "rapid-reset": f"GOAWAY after ~{env('MAX_RESETS', '500')} resets (limits.max_resets_per_window per 10 s)",
    "explain-oracle": "no answer: main port PERMISSION_DENIED/UNAUTHENTICATED (each counted as a deny), admin port HTTP only",
    "admin-slowloris": "/healthz keeps answering, p99 < 100 ms, no failure",
    "policy-cut": "not installed (reload failure counted); allowed calls keep passing",
    "frozen": "/readyz 503 within 7 s (probe interval + keepalive timeout + one tick); calls end UNAVAILABLE",
    "blackhole": f"calls without deadline end UNAVAILABLE within {env('CONNECT_TIMEOUT_S', '5')} s (upstream.connect_timeout)",
    "outage": "calls pass < 2 s after the upstream returns",
}


def statuses(s):
    if isinstance(s, dict) and s and all(isinstance(v, dict) for v in s.values()):
        return "; ".join(f"{k}: {statuses(v)}" for k, v in s.items())
    if not s:
        return "—"
    return ", ".join(f"{k} {v:,}" for k, v in sorted(s.items(), key=lambda kv: -kv[1]))


def outcome(a, r):
    r = {k: ("—" if v is None else v) for k, v in r.items()}
    if "error" in r:
        return f"tool error: {r['error']}"
    st = statuses(r.get("statuses"))
    if a == "fuzz":
        return (f"switch-backs: multi {r.get('switch_back_multi_status')} (forwarded {r.get('switch_back_multi_forwarded')}), "
                f"task {r.get('switch_back_task_status')} (forwarded {r.get('switch_back_task_forwarded')}); {st}; "
                f"forwarded {r.get('forwarded', 0):,}")
    if a == "bare-auth":
        return f"{st}; forwarded {r.get('forwarded')}"
    if a == "two-messages":
        return f"{st}; end p99 {r.get('end_p99_ms')} ms; upstream still holding {r.get('upstream_still_held')}"
    if a in ("oversize", "gzip-bomb"):
        return f"{st}; ended p99 {r.get('end_p99_ms')} ms"
    if a == "rapid-reset":
        if r.get("goaway"):
            return f"GOAWAY (code {r.get('goaway_code')}) after {r.get('streams_before_goaway'):,} streams"
        if r.get("connection_closed") is True:
            return (f"connection closed by the proxy after {r.get('volume', 0):,} pairs sent in {r.get('seconds')} s "
                    f"(its GOAWAY lost to the TCP reset while the client was still writing)")
        return f"no GOAWAY after {r.get('volume', 0):,} pairs in {r.get('seconds')} s"
    if a == "explain-oracle":
        return f"{st}; oracle answers {r.get('oracle_answers')}; main-port denials counted {r.get('main_port_denials_counted')}"
    if a == "admin-slowloris":
        return (f"{r.get('still_open_at_end')} held open at the end; probe failures {r.get('probe_failures')} "
                f"(probe p99 before the attack: {r.get('baseline_probe_p99_ms')} ms)")
    if a == "policy-cut":
        return (f"calls OK {r.get('calls_ok_during')}/{r.get('calls_during')} ({st}); reload failures counted "
                f"{r.get('reload_failures_counted')}; installed: {'yes, ' + str(r['version_changed_to']) if r.get('version_changed_to') not in (None, '—') else 'no'}; "
                f"calls pass {r.get('calls_pass_after_restore_s')} s after restore")
    if a == "frozen":
        return (f"/readyz not ready after {r.get('not_ready_after_s')} s; calls {st} (end p99 {r.get('end_p99_ms')} ms); "
                f"pass again {r.get('calls_pass_again_after_cont_s')} s after SIGCONT")
    if a == "blackhole":
        return f"{st}; end max {r.get('end_max_ms')} ms"
    if a == "outage":
        return "; ".join(f"{o['outage_s']} s outage: pass again after {o['recovery_s']} s (during: {statuses(o['statuses_during'])})"
                         for o in r.get("outages", []))
    return st


def mib(kib):
    return "?" if kib is None else f"{kib / 1024:,.0f}"


def verdict(a, r, m):
    """PASS when the tool judged the target met, and no OOM, death, wrong allow or failed steady call."""
    reasons = []
    if not r:
        return False, "the attack produced no result"
    if not r.get("pass"):
        reasons.append(f"got {outcome(a, r)}")
    if m.get("log_oom"):
        reasons.append("OutOfMemoryError in the log")
    if not m.get("proxy_alive_after", True):
        reasons.append("the proxy died")
    if r.get("wrong_allows"):
        reasons.append(f"{r['wrong_allows']} wrong allows")
    if "steady_all_ok" in r and not r["steady_all_ok"]:
        reasons.append(f"steady calls failed ({statuses(r.get('steady_statuses'))})")
    return not reasons, "; ".join(reasons)


L = []
w = L.append
w("# RELIABILITY: temporal-rbac-proxy under hostile input")
w("")
w(f"Generated by `{'QUICK=1 ' if env('QUICK') == '1' else ''}reliability/run.sh` (see `reliability/README.md`). "
  "Each attack ran against the fat jar started with the README's JVM flags on loopback; "
  "results are from one run, not a benchmark.")
w("")
w(f"- date: {env('STARTED')}; commit `{env('GIT_COMMIT')}`")
cpu = next((l.split(':', 1)[1].strip() for l in open('/proc/cpuinfo') if l.startswith('model name')), '?')
mem = next((l.split(':', 1)[1].strip() for l in open('/proc/meminfo') if l.startswith('MemTotal')), '?')
w(f"- machine: {os.cpu_count()} CPUs ({cpu}), {mem} memory, {platform.system()} {platform.release()}; "
  f"load average at start {env('LOAD_AT_START')} (the cores are shared with other work)")
w(f"- {env('JAVA_VERSION')}; proxy `{env('PROXY_JVM_FLAGS')}`; attack tool `{env('TOOL_JVM_FLAGS')}`")
w(f"- policy: `examples/policy.yaml`; attacker `payments-ci` (write on `payments` only) unless said otherwise; "
  f"a steady stream of {env('STEADY_RATE')} allowed calls/s on its own connection beside each attack on a working upstream; "
  "`/healthz` probed every 50 ms on a new connection")
w("")
w("| attack | volume | outcome | expected | wrong allows | log errors | heap MiB before→after | RSS MiB before→after | /healthz p50/p99/max ms (failures) | steady calls OK (p99 ms) |")
w("|---|---|---|---|---:|---:|---|---|---|---|")
for a in order:
    r, m = results.get(a, {}), meta[a]
    vol = r.get("volume", "—")
    vol = f"{vol:,}" if isinstance(vol, int) else vol
    probe = (f"{r.get('probe_p50_ms')}/{r.get('probe_p99_ms')}/{r.get('probe_max_ms')} ({r.get('probe_failures')})"
             if "probe_count" in r else "—")
    steady = f"{r['steady_ok']:,}/{r['steady_sent']:,} ({r.get('steady_p99_ms')})" if "steady_sent" in r else "—"
    errs = f"{m['log_errors']}" + (f" ({m['log_oom']} OOM)" if m.get("log_oom") else "")
    if not m.get("proxy_alive_after", True):
        errs += ", proxy died"
    w(f"| {a} | {vol} | {outcome(a, r).replace('|', '/')} | {EXPECTED.get(a, '')} | {r.get('wrong_allows', 0) or 0} | {errs} | "
      f"{mib(m['heap_before_kib'])}→{mib(m['heap_after_kib'])} | {mib(m['rss_before_kib'])}→{mib(m['rss_after_kib'])} | {probe} | {steady} |")
w("")
w("## Verdict")
w("")
passed = 0
for a in order:
    ok, why = verdict(a, results.get(a), meta[a])
    passed += ok
    w(f"- **{a}: {'PASS' if ok else 'FAIL'}**" + ("" if ok else f": {why}"))
total_wrong = sum((results.get(a, {}).get("wrong_allows") or 0) for a in order)
w("")
w(f"{passed} of {len(order)} attacks met their target; wrong allows in total: **{total_wrong}** (must be 0).")
w("")
errs = [(a, meta[a]["log_first_error"]) for a in order if meta[a].get("log_first_error")]
if errs:
    w("## First error in the proxy log per attack")
    w("")
    w("```")
    for a, e in errs:
        w(f"{a}: {e}")
    w("```")
    w("")
w("## Commands")
w("")
w("```sh")
for line in open(os.path.join(work, "commands.txt")):
    w(line.rstrip("\n").replace(work, "$WORK"))
w("```")
w("")
w("## Raw results (JSON lines: the attack tool's, then run.sh's measurements)")
w("")
w("```json")
for a in order:
    if a in results:
        w(json.dumps(results[a]).replace(work, "$WORK"))
    w(json.dumps(meta[a]).replace(work, "$WORK"))
w("```")
open(out, "w").write("\n".join(L) + "\n")
