#!/bin/bash
# `tapwatch replay` == `tapwatch analyze` on EVERY frame of EVERY Ethernet capture of ../shared/captures
# (TAPWATCH_CAPTURES=DIR for another corpus; skipped with a message when absent), in one run of each tool (flows
# continue across captures in both): alerts line for line and in order, flow events as a set, the stats counters
# both count (frames, the records the frame rule of tapwatch/frame.h skipped or padded, flows, digest, matches,
# alerts, pass, thresholds), the per-rule counters, the evidence captures byte for byte, the same exit status, no
# record lost (tests/scripts/replay_compare.sh). Nothing is left out: a record cut by the snap length is its
# captured bytes + zeros to its wire length in both tools, and an empty or too long one (wire length 0 or above
# 16,383) is skipped by both and counted under the same name. Run from the repository root.
set -u
B=${BUILD:-build}
TW=$B/tapwatch
SIM=$B/tapwatch-sim
CONF=examples/backhaul.yaml
OUT=$B/test-replay-corpus
CAP=${TAPWATCH_CAPTURES:-../shared/captures}
fails=0
ok()   { echo "ok   $*"; }
fail() { echo "FAIL $*"; fails=$((fails + 1)); }
. tests/scripts/replay_compare.sh
for f in "$TW" "$SIM"; do
    [ -e "$f" ] || { echo "FAIL missing $f (make $B/tapwatch $B/tapwatch-sim)"; exit 1; }
done
if [ ! -d "$CAP" ]; then
    echo "skip: the capture corpus $CAP is absent (set TAPWATCH_CAPTURES=DIR for another corpus)"
    exit 77
fi
rm -rf "$OUT"; mkdir -p "$OUT"
find -L "$CAP" -type f \( -name '*.pcap' -o -name '*.pcapng' -o -name '*.cap' \) | sort > "$OUT/all.list"
# Ethernet captures (capinfos names the link type; the others are skipped by both tools anyway, counted as such)
tr '\n' '\0' < "$OUT/all.list" | xargs -0 capinfos -T -E 2> /dev/null | awk -F'\t' '$2 == "ether" {print $1}' > "$OUT/eth.list"
neth=$(wc -l < "$OUT/eth.list")
[ "$neth" -gt 0 ] || { echo "FAIL no Ethernet capture under $CAP"; exit 1; }
mapfile -t F < "$OUT/eth.list"
echo "     $(wc -l < "$OUT/all.list") captures under $CAP, $neth Ethernet: every frame of each"
"$TW" analyze --config "$CONF" --eve "$OUT/a.json" --pcap-out "$OUT/a.pcap" "${F[@]}" 2> "$OUT/a.err"; arc=$?
start=$(date +%s)
"$TW" replay --config "$CONF" --eve "$OUT/r.json" --pcap-out "$OUT/r.pcap" "${F[@]}" 2> "$OUT/r.err"; rrc=$?
echo "     replay: $(( $(date +%s) - start )) s wall, load $(cut -d' ' -f1 /proc/loadavg)"
[ $arc = $rrc ] && [ $rrc -le 1 ] && ok "corpus: same exit status ($rrc)" \
    || { fail "corpus: exit status analyze $arc, replay $rrc"; tail -5 "$OUT/a.err" "$OUT/r.err"; }
replay_compare corpus "$OUT/a.json" "$OUT/r.json" "$OUT/a.pcap" "$OUT/r.pcap"
[ $fails = 0 ] && echo "test_replay_corpus: all passed" || echo "test_replay_corpus: $fails failed"
[ $fails = 0 ]
