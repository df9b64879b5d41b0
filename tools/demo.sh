#!/bin/bash
# The body of `make demo` (demo.mk builds what it needs and generates the scenario first; docs/demo.md).
#   tools/demo.sh SCENARIO_DIR OUT_DIR
# Replays the scenario through the simulated device (`tapwatch replay`: the RTL tap, parser, detection engine and
# host link in Verilator behind `tapwatch-sim serve`, rules loaded and records collected over the wire protocol)
# with examples/backhaul.yaml, prints the alerts as a table and a summary (frames, simulated line rate, alerts per
# rule, detections against the scenario's ground truth). Writes eve.json, evidence.pcap, alerts.txt, score.txt and
# replay.err to OUT_DIR. Exit status 0 when every step ran and the detections match the truth, 1 otherwise.
set -u
D=${1:?usage: tools/demo.sh SCENARIO_DIR OUT_DIR}
OUT=${2:?usage: tools/demo.sh SCENARIO_DIR OUT_DIR}
B=${BUILD:-build}
CONF=examples/backhaul.yaml
PCAP=$D/backhaul.pcap
TRUTH=$D/backhaul.truth
for f in "$PCAP" "$TRUTH" "$B/tapwatch" "$B/tapwatch-sim"; do
    [ -e "$f" ] || { echo "demo: $f is missing (make demo builds it)" >&2; exit 1; }
done
mkdir -p "$OUT" || exit 1
meta() { sed -n "s/^#@ $1 //p" "$TRUTH"; }
line() { printf '%s\n' "------------------------------------------------------------------------------------------"; }
exfil=""
grep -q exfil-volume "$TRUTH" && exfil=", 50 MB exfiltration"

echo
echo "tapwatch demo: a 5G backhaul tap (GTP-U over IPv4/IPv6, NGAP/SCTP, PFCP, DNS, SNMP, NETCONF) with injected"
echo "interception: ERSPAN II/III, VXLAN, TZSP and GRE-TEB copies of observed traffic to authorised analysers and to"
echo "outside collectors, DNS to outside resolvers, telnet, management and IPsec to unknown peers$exfil."
echo "Scenario: $PCAP ($(meta frames) frames; tools/gen_scenario.py, seed $(meta seed))."
echo "Every frame goes through the simulated FPGA: the RTL (tap, parser, detection engine, host link) in Verilator,"
echo "rules compiled and loaded over the USB wire protocol, alerts and flow records read back over it."

line; echo "1. tapwatch replay --config $CONF (the simulated device)"; line
start=$(date +%s)
"$B/tapwatch" replay --config "$CONF" --eve "$OUT/eve.json" --pcap-out "$OUT/evidence.pcap" "$PCAP" 2> >(tee "$OUT/replay.err" >&2)
rc=$?
secs=$(( $(date +%s) - start ))
if [ $rc -gt 1 ]; then echo "demo: tapwatch replay failed (exit $rc)"; exit 1; fi
awk -f tools/eve_table.awk "$OUT/eve.json" | tee "$OUT/alerts.txt"

echo; line; echo "2. Summary"; line
stats=$(grep '"event_type":"stats"' "$OUT/eve.json")
num() { echo "$stats" | grep -o "\"$1\":[0-9]*" | head -1 | grep -o '[0-9]*$'; }
fr=$(num frames); by=$(num bytes); ns=$(num simulated_ns)
printf 'frames %s (%s bytes), flows %s, mirror copies %s, alerts %s, flow records %s, records lost %s\n' \
    "$fr" "$by" "$(num created)" "$(num mirror_copies)" "$(num alerts_received)" "$(num flows_received)" \
    "$(num records_lost)"
awk -v f="$fr" -v b="$by" -v ns="${ns:-0}" -v w="$secs" 'BEGIN {
    if (ns > 0) printf "simulated device time %.3f ms: %.2f M frames/s, %.2f Gbit/s of frames through the RTL\n", ns / 1e6, f / ns * 1e3, b * 8 / ns;
    printf "wall time %d s on this machine (%.0f frames/s: Verilator runs the whole device clock by clock)\n", w, w ? f / w : 0 }'
echo "alerts per rule and detections against the ground truth ($TRUTH):"
# A pass rule (`#@ pass SID N` in the truth) is scored by its match count, the device's per-rule counter that
# replay reads through the counter window into the stats event.
awk -f tools/scenario_score.awk "$TRUTH" "$OUT/eve.json" > "$OUT/score.txt"
score=$?
cat "$OUT/score.txt"
echo "pass rules: alerts suppressed by a pass rule $(num pass_suppressed) (device counter pass_suppressed)"
echo
echo "Outputs in $OUT/: eve.json (EVE alerts, flows, the device's stats), evidence.pcap (the first 64 bytes of every"
echo "alerting frame, as the device kept them), alerts.txt (the table), score.txt (the scoring), replay.err."
[ $score = 0 ] || { echo "demo: the detections do NOT match the ground truth (see above)"; exit 1; }
