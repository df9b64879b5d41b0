#!/bin/bash
# End to end through the simulated device: `tapwatch replay` (RTL in Verilator behind `tapwatch-sim serve`, rules and
# records over the wire protocol) must give the same EVE output as `tapwatch analyze` (the software reference) on
#  1. the small generated scenario (build/scenario-mini: tools/gen_scenario.py --duration 26 --no-exfil): alerts
#     equal line for line and in order, flow events equal as a set, evidence captures byte-identical, exit status 1,
#     and the ground truth met through replay (recall 100 %, no false alert);
#  2. the first TAPWATCH_REPLAY_FRAMES (default 6) frames of every Ethernet capture of ../shared/captures (or
#     TAPWATCH_CAPTURES=DIR; skipped with a message when absent), in one replay run (flows continue across
#     captures in both tools); captures with frames the device cannot take are left out and counted
#     (tests/scripts/replay_select.py);
# and the error paths: usage errors (exit 2), a bad configuration, a missing simulator and an unreadable capture
# (exit 3, simulator reaped). Device-only differences removed before comparing (docs/replay.md): the stats event's
# counters other than those both count with the same meaning, and the place of flow events in the stream; the
# per-rule counters (the stats event's rules[]: matches, alerts, rate_limited per gid:sid) must be equal.
# Run from the repository root.
set -u
B=${BUILD:-build}
TW=$B/tapwatch
SIM=$B/tapwatch-sim
CONF=examples/backhaul.yaml
MINI=$B/scenario-mini
OUT=$B/test-replay
N=${TAPWATCH_REPLAY_FRAMES:-6}
fails=0
ok()   { echo "ok   $*"; }
fail() { echo "FAIL $*"; fails=$((fails + 1)); }
for f in "$TW" "$SIM" "$MINI/backhaul.pcap" "$MINI/backhaul.truth"; do
    [ -e "$f" ] || { echo "FAIL missing $f (make $B/tapwatch $B/tapwatch-sim $MINI/backhaul.truth)"; exit 1; }
done
rm -rf "$OUT"; mkdir -p "$OUT"

# compare NAME ANALYZE_EVE REPLAY_EVE: alerts in order, flows as a sorted set
compare() {
    local n=$1 a=$2 r=$3
    grep '"event_type":"alert"' "$a" > "$OUT/$n.a.alerts"; grep '"event_type":"alert"' "$r" > "$OUT/$n.r.alerts"
    grep '"event_type":"flow"' "$a" | sort > "$OUT/$n.a.flows"; grep '"event_type":"flow"' "$r" | sort > "$OUT/$n.r.flows"
    local na nf
    na=$(wc -l < "$OUT/$n.a.alerts"); nf=$(wc -l < "$OUT/$n.a.flows")
    if cmp -s "$OUT/$n.a.alerts" "$OUT/$n.r.alerts"; then ok "$n: $na alerts equal, in order"
    else fail "$n: alerts differ (analyze < > replay):"; diff "$OUT/$n.a.alerts" "$OUT/$n.r.alerts" | head -20; fi
    if cmp -s "$OUT/$n.a.flows" "$OUT/$n.r.flows"; then ok "$n: $nf flow events equal"
    else fail "$n: flow events differ (analyze < > replay):"; diff "$OUT/$n.a.flows" "$OUT/$n.r.flows" | head -20; fi
    [ "$na" -gt 0 ] || [ "$n" != mini ] || fail "$n: no alert at all (the comparison would prove nothing)"
    # stats counters the device and the reference both count with the same meaning
    local k va vr diffs=""
    for k in frames created mirror_copies inserts lookups rule_matches alerts frames_alerted pass_suppressed \
             alerts_thresholded alerts_rate_limited; do
        va=$(grep '"event_type":"stats"' "$a" | grep -o "\"$k\":[0-9]*" | head -1)
        vr=$(grep '"event_type":"stats"' "$r" | grep -o "\"$k\":[0-9]*" | head -1)
        [ -n "$va" ] && [ "$va" = "$vr" ] || diffs="$diffs $k(analyze ${va#*:}, device ${vr#*:})"
    done
    [ -z "$diffs" ] && ok "$n: device counters equal analyze's (frames, flows, digest, matches, alerts, pass, thresholds)" \
        || fail "$n: counters differ:$diffs"
    # per-rule counters: the device's (behind its counter window) equal the reference's, rule for rule
    grep '"event_type":"stats"' "$a" | grep -o '"rules":\[[^]]*\]' > "$OUT/$n.a.rules"
    grep '"event_type":"stats"' "$r" | grep -o '"rules":\[[^]]*\]' > "$OUT/$n.r.rules"
    local nr
    nr=$(grep -o '"signature_id"' "$OUT/$n.a.rules" | wc -l)
    if [ "$nr" -gt 0 ] && cmp -s "$OUT/$n.a.rules" "$OUT/$n.r.rules"; then
        ok "$n: per-rule counters of $nr rules equal (matches, alerts, rate_limited)"
    else
        fail "$n: per-rule counters differ (analyze < > replay):"
        diff <(tr '{' '\n' < "$OUT/$n.a.rules") <(tr '{' '\n' < "$OUT/$n.r.rules") | head -20
    fi
    local fr
    fr=$(grep -o '"replay":{[^}]*}' "$r")
    echo "     $fr"
    echo "$fr" | grep -q '"records_lost":0,"link_frames_lost":0' || fail "$n: replay lost records"
}

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
"$TW" replay --config "$CONF" --eve "$OUT/int.json" "$MINI/backhaul.pcap" 2> "$OUT/int.err" &
rp=$!
sleep 8
kill -INT $rp
wait $rp; rc=$?
[ $rc = 3 ] && grep -q 'interrupted; nothing written' "$OUT/int.err" && ok "SIGINT: exit 3, interrupted" \
    || { fail "SIGINT: exit $rc"; cat "$OUT/int.err"; }
sleep 1
pgrep -f "tapwatch-sim serve --socket /tmp/tapwatch-replay" > /dev/null && fail "a simulator was left running" \
    || ok "no simulator left running"

# ---- 1. the small scenario ----
"$TW" analyze --config "$CONF" --eve "$OUT/mini.a.json" --pcap-out "$OUT/mini.a.pcap" "$MINI/backhaul.pcap"
arc=$?
start=$(date +%s)
"$TW" replay --config "$CONF" --eve "$OUT/mini.r.json" --pcap-out "$OUT/mini.r.pcap" "$MINI/backhaul.pcap"
rrc=$?
echo "     replay of $(sed -n 's/^#@ frames //p' "$MINI/backhaul.truth") frames: $(( $(date +%s) - start )) s wall"
[ $arc = 1 ] && [ $rrc = 1 ] && ok "mini: analyze and replay exit 1 (alerts)" || fail "mini: exit status analyze $arc, replay $rrc"
compare mini "$OUT/mini.a.json" "$OUT/mini.r.json"
cmp -s "$OUT/mini.a.pcap" "$OUT/mini.r.pcap" && ok "mini: evidence captures byte-identical" \
    || fail "mini: evidence captures differ"
# The whole truth, the pass rule's match count (`#@ pass`) included: it is read from the device's per-rule counters.
grep -q '^#@ pass ' "$MINI/backhaul.truth" || fail "mini: the truth has no pass-rule count (nothing would check it)"
if awk -f tools/scenario_score.awk "$MINI/backhaul.truth" "$OUT/mini.r.json" > "$OUT/mini.score"; then
    ok "mini through replay: every rule recall 100%, the pass rule's matches, no false alert"
else
    fail "mini through replay: ground truth not met:"; cat "$OUT/mini.score"
fi

# ---- 2. the shared captures ----
CAP=${TAPWATCH_CAPTURES:-../shared/captures}
if [ ! -d "$CAP" ]; then
    echo "skip shared captures: $CAP is absent (set TAPWATCH_CAPTURES=DIR for another corpus)"
else
    mkdir -p "$OUT/cut"
    i=0
    while IFS= read -r f; do
        i=$((i + 1))
        editcap -F pcap -r "$f" "$OUT/cut/$(printf %05d $i).pcap" 1-"$N" 2> /dev/null || rm -f "$OUT/cut/$(printf %05d $i).pcap"
    done < <(find "$CAP" -type f \( -name '*.pcap' -o -name '*.pcapng' -o -name '*.cap' \) | sort)
    ls "$OUT"/cut/*.pcap > /dev/null 2>&1 || { fail "no capture under $CAP could be cut"; }
    capinfos -T -E -r "$OUT"/cut/*.pcap 2> /dev/null | awk -F'\t' '$2 == "ether" {print $1}' > "$OUT/eth.list"
    /usr/bin/python3 tests/scripts/replay_select.py $(cat "$OUT/eth.list") > "$OUT/sel.list" 2> "$OUT/excluded.txt"
    echo "     $i captures, $(wc -l < "$OUT/eth.list") Ethernet (first $N frames each), $(wc -l < "$OUT/sel.list") replayed, $(wc -l < "$OUT/excluded.txt") left out (see $OUT/excluded.txt)"
    "$TW" analyze --config "$CONF" --eve "$OUT/cap.a.json" $(cat "$OUT/sel.list") 2> "$OUT/cap.a.err"; arc=$?
    start=$(date +%s)
    "$TW" replay --config "$CONF" --eve "$OUT/cap.r.json" $(cat "$OUT/sel.list") 2> "$OUT/cap.r.err"; rrc=$?
    echo "     replay: $(( $(date +%s) - start )) s wall"
    [ $arc = $rrc ] && ok "captures: same exit status ($rrc)" || { fail "captures: exit status analyze $arc, replay $rrc"; cat "$OUT/cap.r.err"; }
    compare captures "$OUT/cap.a.json" "$OUT/cap.r.json"
fi
[ $fails = 0 ] && echo "test_replay: all passed" || echo "test_replay: $fails failed"
[ $fails = 0 ]
