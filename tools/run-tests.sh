#!/bin/bash
# Runs test executables and scripts, TEST_JOBS at a time (default: the number of CPUs), one log each under
# build/test-logs (TEST_LOGS=DIR: another folder, so two runs at once keep their logs apart), then prints one line
# per test and a closing summary line.
# cmocka binaries count their own tests; any other program counts as one test (exit 0 = pass, 77 = skipped).
set -u
logdir=${TEST_LOGS:-${BUILD:-build}/test-logs}
mkdir -p "$logdir"
jobs=${TEST_JOBS:-$(nproc 2>/dev/null || echo 2)}

run_one() {  # $1 = test path; writes $log and $log.rc / $log.secs
    local t=$1 name log start
    name=$(basename "$t"); log="$logdir/$name.log"
    start=$(date +%s)
    CMOCKA_MESSAGE_OUTPUT=stdout "$t" >"$log" 2>&1
    echo $? >"$log.rc"
    echo $(( $(date +%s) - start )) >"$log.secs"
}
export -f run_one
export logdir
# Longest tests first would be ideal; the given order is kept so logs read naturally.
printf '%s\n' "$@" | xargs -P "$jobs" -I{} bash -c 'run_one "$1"' _ {}

pass=0 fail=0 skip=0 failed=()
for t in "$@"; do
    name=$(basename "$t"); log="$logdir/$name.log"
    rc=$(cat "$log.rc" 2>/dev/null || echo 1); secs=$(cat "$log.secs" 2>/dev/null || echo 0)
    p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
    f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
    s=$(sed -n 's/^\[  SKIPPED \] \([0-9]*\) test.*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
    if [ "$p" = 0 ] && [ "$f" = 0 ] && [ "$s" = 0 ]; then
        case $rc in 0) p=1;; 77) s=1;; *) f=1;; esac
    elif [ "$rc" -ne 0 ] && [ "$f" = 0 ]; then
        f=1   # crashed or exited non-zero after its tests
    fi
    pass=$((pass + p)); fail=$((fail + f)); skip=$((skip + s))
    status=ok; [ "$f" -gt 0 ] && status=FAIL
    [ "$status" = ok ] && [ "$s" -gt 0 ] && [ "$p" = 0 ] && status=skip
    printf '%-5s %-40s %4d passed %3d failed %3d skipped  %4ds\n' "$status" "$name" "$p" "$f" "$s" "$secs"
    if [ "$status" = FAIL ]; then failed+=("$name"); echo "----- $log (last 40 lines)"; tail -40 "$log"; echo "-----"; fi
    if [ "$s" -gt 0 ]; then grep -i -m3 'skip' "$log" | sed 's/^/      /'; fi
done
[ ${#failed[@]} -gt 0 ] && echo "failed: ${failed[*]}"
echo "total: $pass passed, $fail failed, $skip skipped"
[ "$fail" = 0 ]
