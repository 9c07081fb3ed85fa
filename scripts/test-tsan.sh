#!/usr/bin/env bash
# The concurrent suites under ThreadSanitizer (`make test`, issue 16). Any report fails the run (TSan
# exits 66). The reports are repeated at the end of the output on failure, because CI keeps only
# the tail of a long log and a race that shows once in many runs must be diagnosable from it.
set -uo pipefail
cd "$(dirname "$0")/.."
swift=${SWIFT:-swift}
suites=${TSAN_SUITES:-'VirtioTests|GuestMemoryTests|GDBStubTests'}
log=build/tsan.log
mkdir -p build
$swift test --sanitize=thread --scratch-path .build/tsan --filter "$suites" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
if [ "$status" -ne 0 ]; then
    echo "=== ThreadSanitizer run failed (status $status); its reports, repeated from $log: ==="
    awk '/WARNING: ThreadSanitizer/{p=1} p{print} /^SUMMARY: ThreadSanitizer/{p=0; print "---"}' "$log" | head -300
fi
exit "$status"
