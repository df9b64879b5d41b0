#!/bin/bash
# The plain (not sanitized) `tapwatch` binary under valgrind's memcheck: no invalid read or write, no use of
# uninitialised memory, no leak (definite, indirect or possible), on the paths a user takes: rules check / compile
# / dump, analyze from a configuration and from an image (EVE and evidence output byte-identical to the run without
# valgrind), the error paths of a bad configuration, a bad rule and an unreadable capture, replay through the
# simulated device (the device layer: table load, record stream; EVE identical to the run without valgrind but for
# the simulated time), and
# the device commands (info, reg, stats, time, rules load) against `tapwatch-sim serve`. The host unit tests run
# under ASan/UBSan instead (tests/host); this covers the CLI and the library as shipped. Run from the repository root.
set -u
B=${BUILD:-build}
TW=$B/tapwatch
SIM=$B/tapwatch-sim
CONF=examples/backhaul.yaml
MINI=$B/scenario-mini/backhaul.pcap
OUT=$B/test-valgrind
fails=0
ok()   { echo "ok   $*"; }
fail() { echo "FAIL $*"; fails=$((fails + 1)); }
command -v valgrind > /dev/null || { echo "FAIL valgrind is not installed (make deps)"; exit 1; }
for f in "$TW" "$SIM" "$MINI"; do
    [ -e "$f" ] || { echo "FAIL missing $f (make $B/tapwatch $B/tapwatch-sim $B/scenario-mini/backhaul.truth)"; exit 1; }
done
rm -rf "$OUT"; mkdir -p "$OUT"
VG=(valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect,possible
    --errors-for-leak-kinds=definite,indirect,possible)
n=0
# vg WANT_RC NAME ARGS...: runs tapwatch ARGS under valgrind; the exit status must be WANT_RC (99 = a memcheck error)
vg() {
    local want=$1 name=$2; shift 2
    n=$((n + 1))
    local log="$OUT/vg$n.log"
    "${VG[@]}" --log-file="$log" "$TW" "$@" > "$OUT/out$n.txt" 2> "$OUT/err$n.txt"
    local rc=$?
    if [ -s "$log" ]; then
        fail "$name: memcheck reports (exit $rc):"; head -30 "$log"
    elif [ $rc != "$want" ]; then
        fail "$name: exit $rc, expected $want"; head -5 "$OUT/err$n.txt"
    else
        ok "$name: exit $rc, memcheck clean"
    fi
}

# ---- rules ----
vg 0 "rules check" rules check "$CONF"
vg 0 "rules compile" rules compile "$CONF" -o "$OUT/img.twt"
vg 0 "rules dump" rules dump "$OUT/img.twt"
printf 'detect:\n  no-such-key: 1\n' > "$OUT/bad.yaml"
vg 3 "bad configuration" rules check "$OUT/bad.yaml"
grep -q 'bad.yaml:2:' "$OUT/err$n.txt" && ok "bad configuration named at file:line" \
    || fail "bad configuration: no file:line in '$(head -c 120 "$OUT/err$n.txt")'"
printf 'rule-files:\n  - bad.rules\n' > "$OUT/badrule.yaml"
printf 'alert tcp any any -> any any (msg:"x"; content:"y"; sid:1;)\n' > "$OUT/bad.rules"
vg 3 "unsupported rule keyword" rules check "$OUT/badrule.yaml"
grep -q "bad.rules:1:.*content" "$OUT/err$n.txt" && ok "unsupported keyword named at file:line:col" \
    || fail "unsupported keyword: '$(head -c 120 "$OUT/err$n.txt")'"

# ---- analyze: the same output with and without valgrind ----
"$TW" analyze --config "$CONF" --eve "$OUT/ref.json" --pcap-out "$OUT/ref.pcap" "$MINI" > /dev/null 2>&1
[ $? = 1 ] || fail "analyze without valgrind: not exit 1"
vg 1 "analyze --config" analyze --config "$CONF" --eve "$OUT/a.json" --pcap-out "$OUT/a.pcap" "$MINI"
cmp -s "$OUT/ref.json" "$OUT/a.json" && cmp -s "$OUT/ref.pcap" "$OUT/a.pcap" \
    && ok "analyze under valgrind: EVE and evidence identical ($(grep -c '"event_type":"alert"' "$OUT/a.json") alerts)" \
    || fail "analyze under valgrind: output differs"
vg 1 "analyze --image" analyze --image "$OUT/img.twt" --eve "$OUT/i.json" --pcap-out "$OUT/i.pcap" "$MINI"
cmp -s "$OUT/ref.json" "$OUT/i.json" && cmp -s "$OUT/ref.pcap" "$OUT/i.pcap" \
    && ok "analyze from the image: EVE and evidence identical" || fail "analyze from the image: output differs"
printf 'junk' > "$OUT/junk.pcap"
vg 3 "unreadable capture" analyze --config "$CONF" --eve "$OUT/j.json" "$OUT/junk.pcap"

# ---- replay through the simulated device (the simulator itself is not under valgrind) ----
"$TW" replay --config "$CONF" --eve "$OUT/rref.json" "$MINI" > /dev/null 2>&1
[ $? = 1 ] || fail "replay without valgrind: not exit 1"
vg 1 "replay" replay --config "$CONF" --eve "$OUT/r.json" "$MINI"
# identical but for the simulated time the run took (the model runs on while the host is slower)
nosim() { sed 's/"simulated_ns":[0-9]*//' "$1"; }
cmp -s <(nosim "$OUT/rref.json") <(nosim "$OUT/r.json") \
    && ok "replay under valgrind: EVE identical but for simulated_ns ($(grep -c '"event_type":"alert"' "$OUT/r.json") alerts)" \
    || fail "replay under valgrind: EVE differs"

# ---- device commands, each against its own `tapwatch-sim serve` (it ends when its client disconnects) ----
SOCK="$OUT/dev.sock"
# dev NAME ARGS...: serves the simulated device, runs `tapwatch ARGS -d sim:SOCK` under valgrind (exit 0 expected)
dev() {
    local name=$1; shift
    rm -f "$SOCK"
    "$SIM" serve --socket "$SOCK" >> "$OUT/serve.log" 2>&1 &
    local sp=$!
    for _ in $(seq 1 100); do [ -S "$SOCK" ] && break; sleep 0.1; done
    if [ -S "$SOCK" ]; then
        vg 0 "$name" "$@" -d "sim:$SOCK"
    else
        fail "$name: tapwatch-sim serve did not create $SOCK"
    fi
    kill $sp 2> /dev/null; wait $sp 2> /dev/null
}
dev "info" info
dev "reg read" reg read 0 4
dev "rules load" rules load "$CONF"
dev "stats --json" stats --json
dev "time sync" time sync
vg 4 "no device" info -d "sim:$OUT/none.sock"

echo "$n valgrind runs, $fails failures"
[ $fails = 0 ]
