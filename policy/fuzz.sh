#!/usr/bin/env bash
# Long run of the namespace fuzzer (NamespaceFuzzTest): every body it makes is read by the wire
# scanner, by protobuf-java's generated parser and by a Go-rule parser; a body the scanner accepts
# must name, in the scanner's reading, every namespace either parser reads.
#
#   policy/fuzz.sh [BODIES] [SEED]      BODIES defaults to 1000000, SEED to the current time
#
# Prints one summary line (bodies, accepted, rejected-as-malformed, wrong readings, seed, seconds)
# and exits non-zero if any reading was wrong, after printing the first failing body as hex.
# Runs offline from the repository's Maven cache; the Maven log goes to policy/target/fuzz.log.
set -uo pipefail

bodies="${1:-1000000}"
seed="${2:-$(date +%s)}"
case "$bodies$seed" in
  *[!0-9]*) echo "usage: $0 [BODIES] [SEED] (whole numbers)" >&2; exit 2 ;;
esac

here="$(cd "$(dirname "$0")" && pwd)"
mkdir -p "$here/target"
summary="$here/target/fuzz-summary.txt"
log="$here/target/fuzz.log"
rm -f "$summary"

(cd "$here/.." && mvn -B -ntp -o -q -pl policy -am test \
    -Dtest=NamespaceFuzzTest -Dsurefire.failIfNoSpecifiedTests=false \
    -Dfuzz.bodies="$bodies" -Dfuzz.seed="$seed" -Dfuzz.summary="$summary") >"$log" 2>&1
status=$?

if [[ ! -s "$summary" ]]; then
  echo "fuzz run did not finish (maven exit $status); see $log" >&2
  tail -n 30 "$log" >&2
  exit 1
fi
cat "$summary"
if ! grep -q ' wrong-readings=0 ' "$summary"; then
  exit 1
fi
if [[ $status -ne 0 ]]; then
  echo "no wrong readings, but the run failed otherwise (maven exit $status); see $log" >&2
  exit 1
fi
