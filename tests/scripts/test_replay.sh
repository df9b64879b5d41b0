#!/bin/bash
# End to end through the simulated device: `tapwatch replay` (RTL in Verilator behind `tapwatch-sim serve`, rules and
# records over the wire protocol) must give the same EVE output as `tapwatch analyze` (the software reference) on
# the small generated scenario (build/scenario-mini: tools/gen_scenario.py --duration 26 --no-exfil, the input of
# `make demo`): alerts equal line for line and in order, flow events equal as a set, the counters both count and the
# per-rule counters equal, evidence captures byte-identical, exit status 1, and the ground truth met through replay
# (recall 100 %, no false alert) (tests/scripts/replay_compare.sh); and the error paths: usage errors (exit 2), a
# bad configuration, a missing simulator and an unreadable capture (exit 3, simulator reaped), SIGINT.
# Every frame of every shared capture: test_replay_corpus.sh; the full bundled scenario: test_replay_scenario.sh.
# Run from the repository root.
set -u
B=${BUILD:-build}
TW=$B/tapwatch
SIM=$B/tapwatch-sim
CONF=examples/backhaul.yaml
MINI=$B/scenario-mini
OUT=$B/test-replay
fails=0
ok()   { echo "ok   $*"; }
fail() { echo "FAIL $*"; fails=$((fails + 1)); }
. tests/scripts/replay_compare.sh
for f in "$TW" "$SIM" "$MINI/backhaul.pcap" "$MINI/backhaul.truth"; do
    [ -e "$f" ] || { echo "FAIL missing $f (make $B/tapwatch $B/tapwatch-sim $MINI/backhaul.truth)"; exit 1; }
done
rm -rf "$OUT"; mkdir -p "$OUT"

# ---- usage and error paths (no simulator needed for most) ----
"$TW" replay > /dev/null 2>&1; [ $? = 2 ] && ok "no arguments: exit 2" || fail "no arguments: not exit 2"
"$TW" replay --config "$CONF" > /dev/null 2>&1; [ $? = 2 ] && ok "no capture: exit 2" || fail "no capture: not exit 2"
"$TW" replay --config "$CONF" --speed fast x.pcap 2> "$OUT/e.txt"; rc=$?
[ $rc = 2 ] && grep -q 'max or pcap' "$OUT/e.txt" && ok "bad --speed: exit 2, named" || fail "bad --speed: exit $rc"
"$TW" replay --config "$CONF" --ports mac=zz x.pcap 2> "$OUT/e.txt"; rc=$?
[ $rc = 2 ] && grep -q 'alternate' "$OUT/e.txt" && ok "bad --ports: exit 2, named" || fail "bad --ports: exit $rc"
printf 'detect:\n  no-such-key: [\n' > "$OUT/bad.yaml"
"$TW" replay --config "$OUT/bad.yaml" "$MINI/backhaul.pcap" 2> "$OUT/e.txt"; rc=$?
[ $rc = 3 ] && ok "bad configuration: exit 3 ($(head -c 80 "$OUT/e.txt"))" || fail "bad configuration: exit $rc"
"$TW" replay --config "$CONF" --sim /nonexistent/tapwatch-sim "$MINI/backhaul.pcap" 2> "$OUT/e.txt"; rc=$?
[ $rc = 3 ] && grep -q 'not there or not executable' "$OUT/e.txt" && ok "missing simulator: exit 3, named" \
    || fail "missing simulator: exit $rc"
printf 'junk' > "$OUT/junk.pcap"
"$TW" replay --config "$CONF" --eve "$OUT/junk.json" "$OUT/junk.pcap" 2> "$OUT/e.txt"; rc=$?
[ $rc = 3 ] && grep -q 'junk.pcap' "$OUT/e.txt" && ok "unreadable capture: exit 3, named" || fail "unreadable capture: exit $rc"
# --speed pcap paces the 26-second capture by its timestamps, so the run is still going when the signal comes
# however fast the machine is (at full speed it can finish in under 8 s on a quiet machine: a regression seen in CI).
"$TW" replay --config "$CONF" --speed pcap --eve "$OUT/int.json" "$MINI/backhaul.pcap" 2> "$OUT/int.err" &
rp=$!
simpid=""
for _ in $(seq 1 150); do   # wait (up to 30 s) for this replay's simulator: other tests may run their own
    simpid=$(pgrep -P $rp -f "tapwatch-sim serve") && break
    sleep 0.2
done
sleep 2
kill -INT $rp
wait $rp; rc=$?
[ $rc = 3 ] && grep -q 'interrupted; nothing written' "$OUT/int.err" && ok "SIGINT: exit 3, interrupted" \
    || { fail "SIGINT: exit $rc"; cat "$OUT/int.err"; }
sleep 1
if [ -z "$simpid" ]; then fail "SIGINT: no simulator was running under replay after 30 s"
elif kill -0 $simpid 2> /dev/null; then fail "the simulator ($simpid) was left running"
else ok "no simulator left running"; fi

# ---- the small scenario ----
"$TW" analyze --config "$CONF" --eve "$OUT/mini.a.json" --pcap-out "$OUT/mini.a.pcap" "$MINI/backhaul.pcap"
arc=$?
start=$(date +%s)
"$TW" replay --config "$CONF" --eve "$OUT/mini.r.json" --pcap-out "$OUT/mini.r.pcap" "$MINI/backhaul.pcap"
rrc=$?
echo "     replay of $(sed -n 's/^#@ frames //p' "$MINI/backhaul.truth") frames: $(( $(date +%s) - start )) s wall"
[ $arc = 1 ] && [ $rrc = 1 ] && ok "mini: analyze and replay exit 1 (alerts)" || fail "mini: exit status analyze $arc, replay $rrc"
replay_compare mini "$OUT/mini.a.json" "$OUT/mini.r.json" "$OUT/mini.a.pcap" "$OUT/mini.r.pcap"
# The whole truth, the pass rule's match count (`#@ pass`) included: it is read from the device's per-rule counters.
grep -q '^#@ pass ' "$MINI/backhaul.truth" || fail "mini: the truth has no pass-rule count (nothing would check it)"
if awk -f tools/scenario_score.awk "$MINI/backhaul.truth" "$OUT/mini.r.json" > "$OUT/mini.score"; then
    ok "mini through replay: every rule recall 100%, the pass rule's matches, no false alert"
else
    fail "mini through replay: ground truth not met:"; cat "$OUT/mini.score"
fi

[ $fails = 0 ] && echo "test_replay: all passed" || echo "test_replay: $fails failed"
[ $fails = 0 ]
