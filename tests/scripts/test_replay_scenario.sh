#!/bin/bash
# `tapwatch replay` == `tapwatch analyze` on the FULL bundled scenario (build/scenario, `make scenario`:
# tools/gen_scenario.py, 39,109 frames with the 50 MB exfiltration): alerts line for line and in order, flow events
# as a set, the counters both count, the per-rule counters, the evidence captures byte for byte, both exit 1, no
# record lost (tests/scripts/replay_compare.sh); and the ground truth met through the device: every rule's recall
# 100 %, the pass rule's match count, no false alert (tools/scenario_score.awk). Run from the repository root.
set -u
B=${BUILD:-build}
TW=$B/tapwatch
SIM=$B/tapwatch-sim
CONF=examples/backhaul.yaml
D=$B/scenario
OUT=$B/test-replay-scenario
fails=0
ok()   { echo "ok   $*"; }
fail() { echo "FAIL $*"; fails=$((fails + 1)); }
. tests/scripts/replay_compare.sh
for f in "$TW" "$SIM" "$D/backhaul.pcap" "$D/backhaul.truth"; do
    [ -e "$f" ] || { echo "FAIL missing $f (make $B/tapwatch $B/tapwatch-sim scenario)"; exit 1; }
done
rm -rf "$OUT"; mkdir -p "$OUT"
"$TW" analyze --config "$CONF" --eve "$OUT/a.json" --pcap-out "$OUT/a.pcap" "$D/backhaul.pcap" 2> "$OUT/a.err"; arc=$?
start=$(date +%s)
"$TW" replay --config "$CONF" --eve "$OUT/r.json" --pcap-out "$OUT/r.pcap" "$D/backhaul.pcap" 2> "$OUT/r.err"; rrc=$?
echo "     replay of $(sed -n 's/^#@ frames //p' "$D/backhaul.truth") frames: $(( $(date +%s) - start )) s wall, load $(cut -d' ' -f1 /proc/loadavg)"
[ $arc = 1 ] && [ $rrc = 1 ] && ok "scenario: analyze and replay exit 1 (alerts)" \
    || { fail "scenario: exit status analyze $arc, replay $rrc"; tail -5 "$OUT/r.err"; }
replay_compare scenario "$OUT/a.json" "$OUT/r.json" "$OUT/a.pcap" "$OUT/r.pcap"
nfr=$(grep '"event_type":"stats"' "$OUT/r.json" | grep -o '"frames_sent":[0-9]*' | grep -o '[0-9]*$')
[ "$nfr" = "$(sed -n 's/^#@ frames //p' "$D/backhaul.truth")" ] && ok "scenario: every frame went through the device ($nfr)" \
    || fail "scenario: the device took '$nfr' frames, the truth has $(sed -n 's/^#@ frames //p' "$D/backhaul.truth")"
grep -q '^#@ pass ' "$D/backhaul.truth" || fail "scenario: the truth has no pass-rule count (nothing would check it)"
if awk -f tools/scenario_score.awk "$D/backhaul.truth" "$OUT/r.json" > "$OUT/score.txt"; then
    ok "scenario through replay: every rule recall 100%, the pass rule's matches, no false alert"; cat "$OUT/score.txt"
else
    fail "scenario through replay: ground truth not met:"; cat "$OUT/score.txt"
fi
[ $fails = 0 ] && echo "test_replay_scenario: all passed" || echo "test_replay_scenario: $fails failed"
[ $fails = 0 ]
