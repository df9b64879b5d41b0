#!/bin/bash
# `make bench` rows of the end-to-end path (docs/replay.md): frames per second through `tapwatch replay` (the
# simulated device: the RTL in Verilator plus the host library) against `tapwatch analyze` on the same capture
# (the first BENCH_REPLAY_FRAMES, default 2000, frames of the short scenario build/scenario-mini), and the alert
# records through the simulated link during the replay, per simulated and per wall second; and, when the shared
# capture corpus is there (../shared/captures or TAPWATCH_CAPTURES=DIR; BENCH_REPLAY_CORPUS=0 leaves it out), the
# rate over EVERY frame of every Ethernet capture of it in one run (what test_replay_corpus.sh compares), per wall
# and per CPU second (replay plus its simulator), against analyze on the same captures: a long run, so the rule load
# and process start do not dominate it as they do the 2,000 frames. Run from the repository root; prints ROW lines
# for tools/run-bench.sh.
set -u
B=${BUILD:-build}
N=${BENCH_REPLAY_FRAMES:-2000}
CONF=examples/backhaul.yaml
IN=$B/scenario-mini/backhaul.pcap
T=$B/bench/replay
mkdir -p "$T" || exit 1
editcap -r "$IN" "$T/in.pcap" 1-"$N" 2> /dev/null || { echo "bench_replay: cannot cut $IN" >&2; exit 1; }
ms() { date +%s%N | awk '{printf "%d", $1 / 1e6}'; }
# analyze: 20 runs (one takes milliseconds)
t0=$(ms)
for i in $(seq 20); do
    "$B/tapwatch" analyze --config "$CONF" --eve /dev/null "$T/in.pcap"
    [ $? -le 1 ] || { echo "bench_replay: analyze failed" >&2; exit 1; }
done
ta=$(( $(ms) - t0 ))
t0=$(ms)
"$B/tapwatch" replay --config "$CONF" --eve "$T/eve.json" "$T/in.pcap" 2> "$T/replay.err"
rc=$?
tr=$(( $(ms) - t0 ))
[ $rc -le 1 ] || { echo "bench_replay: replay failed (exit $rc):" >&2; cat "$T/replay.err" >&2; exit 1; }
stats=$(grep '"event_type":"stats"' "$T/eve.json")
num() { echo "$stats" | grep -o "\"$1\":[0-9]*" | head -1 | grep -o '[0-9]*$'; }
fr=$(num frames_sent); al=$(num alerts_received); ns=$(num simulated_ns)
awk -v n="$fr" -v ta="$ta" -v tr="$tr" -v al="$al" -v ns="$ns" 'BEGIN {
    fa = 20 * n / (ta / 1000); fr = n / (tr / 1000)
    printf "ROW\treplay.frames_per_second\t%.0f\tframes/s\tanalyze %.0f frames/s\t%.5f\n", fr, fa, fr / fa
    printf "ROW\treplay.wall_seconds_%d_frames\t%.1f\ts\t-\t-\n", n, tr / 1000
    if (ns > 0) {
        printf "ROW\treplay.simulated_frames_per_second\t%.0f\tframes/s\t-\t-\n", n / (ns / 1e9)
        printf "ROW\treplay.link_alerts_per_simulated_second\t%.0f\talerts/s\t-\t-\n", al / (ns / 1e9)
    }
    printf "ROW\treplay.link_alerts_per_wall_second\t%.1f\talerts/s\t-\t-\n", al / (tr / 1000)
    printf "ROW\treplay.alerts\t%d\talerts\t-\t-\n", al }'

# ---- every frame of the shared captures ----
CAP=${TAPWATCH_CAPTURES:-../shared/captures}
if [ "${BENCH_REPLAY_CORPUS:-1}" = 0 ]; then
    exit 0
elif [ ! -d "$CAP" ]; then
    echo "bench_replay: no capture corpus at $CAP (TAPWATCH_CAPTURES=DIR): corpus rows left out" >&2
    exit 0
fi
find -L "$CAP" -type f \( -name '*.pcap' -o -name '*.pcapng' -o -name '*.cap' \) | sort | tr '\n' '\0' \
    | xargs -0 capinfos -T -E 2> /dev/null | awk -F'\t' '$2 == "ether" {print $1}' > "$T/eth.list"
mapfile -t F < "$T/eth.list"
[ ${#F[@]} -gt 0 ] || { echo "bench_replay: no Ethernet capture under $CAP" >&2; exit 1; }
cpu() { awk '{print $14 + $15 + $16 + $17}' /proc/$$/stat; }   # this shell's and its reaped children's CPU ticks
hz=$(getconf CLK_TCK)
c0=$(cpu); t0=$(ms)
for i in 1 2 3; do
    "$B/tapwatch" analyze --config "$CONF" --eve /dev/null "${F[@]}" 2> /dev/null
    [ $? -le 1 ] || { echo "bench_replay: analyze of the corpus failed" >&2; exit 1; }
done
ta=$(( $(ms) - t0 )); ca=$(( $(cpu) - c0 ))
c0=$(cpu); t0=$(ms)
"$B/tapwatch" replay --config "$CONF" --eve "$T/corpus.json" "${F[@]}" 2> "$T/corpus.err"
rc=$?
tr=$(( $(ms) - t0 )); cr=$(( $(cpu) - c0 ))
[ $rc -le 1 ] || { echo "bench_replay: replay of the corpus failed (exit $rc):" >&2; cat "$T/corpus.err" >&2; exit 1; }
stats=$(grep '"event_type":"stats"' "$T/corpus.json")
fr=$(num frames_sent)
awk -v n="$fr" -v ta="$ta" -v tr="$tr" -v ca="$ca" -v cr="$cr" -v hz="$hz" -v nc="${#F[@]}" -v ld="$(cut -d' ' -f1 /proc/loadavg)" 'BEGIN {
    fa = 3 * n / (ta / 1000); fr = n / (tr / 1000); fac = 3 * n / (ca / hz); frc = n / (cr / hz)
    printf "ROW\treplay.corpus_frames_per_second\t%.0f\tframes/s\tanalyze %.0f frames/s\t%.5f\n", fr, fa, fr / fa
    printf "ROW\treplay.corpus_frames_per_cpu_second\t%.0f\tframes/s\tanalyze %.0f frames/s\t%.5f\n", frc, fac, frc / fac
    printf "ROW\treplay.corpus_wall_seconds_%d_frames_%d_captures\t%.1f\ts\t-\t-\n", n, nc, tr / 1000
    printf "ROW\treplay.corpus_load_average\t%s\t-\t-\t-\n", ld }'
