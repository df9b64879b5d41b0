# Sourced by tests/scripts/test_replay*.sh: the comparison of `tapwatch replay` (the simulated device) with
# `tapwatch analyze` (the software reference) on the same input (docs/replay.md "Output and what only the device
# knows"). The caller defines OUT (a directory), ok and fail.
#
#   replay_compare NAME ANALYZE_EVE REPLAY_EVE [ANALYZE_EVIDENCE_PCAP REPLAY_EVIDENCE_PCAP]
#
# checks alerts line for line and in order, flow events as a set (their place in the stream is device-only), the
# stats counters both count with the same meaning, the per-rule counters (stats rules[]), nothing lost by replay,
# and, when given, the evidence captures byte for byte.

# The stats counters the device and the reference both count with the same meaning (first occurrence of the key in
# the stats event): frames and bytes through the parser and detection (decoder.*), the records the frame rule of
# tapwatch/frame.h padded or skipped (capture.*), the parser's error counters (errors.*), frames without IP, flows
# created and evicted, sweep steps, the digest table, rule matches, alerts, pass, thresholds, rate limits, the
# 8-alert cut and a full state table.
REPLAY_SAME_COUNTERS="frames bytes frames_snapped frames_empty frames_too_long runt giant truncated ip_version \
bad_ihl ip_length ip_checksum too_deep no_ip created evicted sweep_steps inserts replaced lookups mirror_copies \
rule_matches alerts frames_alerted pass_suppressed alerts_thresholded alerts_rate_limited alerts_overflow state_full"

replay_compare() {
    local n=$1 a=$2 r=$3 ap=${4:-} rp=${5:-}
    grep '"event_type":"alert"' "$a" > "$OUT/$n.a.alerts"; grep '"event_type":"alert"' "$r" > "$OUT/$n.r.alerts"
    grep '"event_type":"flow"' "$a" | sort > "$OUT/$n.a.flows"; grep '"event_type":"flow"' "$r" | sort > "$OUT/$n.r.flows"
    local na nf
    na=$(wc -l < "$OUT/$n.a.alerts"); nf=$(wc -l < "$OUT/$n.a.flows")
    if cmp -s "$OUT/$n.a.alerts" "$OUT/$n.r.alerts"; then ok "$n: $na alerts equal, in order"
    else fail "$n: alerts differ (analyze < > replay; $(diff "$OUT/$n.a.alerts" "$OUT/$n.r.alerts" | grep -c '^[<>]') lines):"
         diff "$OUT/$n.a.alerts" "$OUT/$n.r.alerts" | head -20; fi
    if cmp -s "$OUT/$n.a.flows" "$OUT/$n.r.flows"; then ok "$n: $nf flow events equal"
    else fail "$n: flow events differ (analyze < > replay; $(diff "$OUT/$n.a.flows" "$OUT/$n.r.flows" | grep -c '^[<>]') lines):"
         diff "$OUT/$n.a.flows" "$OUT/$n.r.flows" | head -20; fi
    [ "$na" -gt 0 ] || fail "$n: no alert at all (the comparison would prove little)"
    [ "$nf" -gt 0 ] || fail "$n: no flow event at all"
    local k va vr diffs="" sa sr
    sa=$(grep '"event_type":"stats"' "$a"); sr=$(grep '"event_type":"stats"' "$r")
    for k in $REPLAY_SAME_COUNTERS; do
        va=$(echo "$sa" | grep -o "\"$k\":[0-9]*" | head -1)
        vr=$(echo "$sr" | grep -o "\"$k\":[0-9]*" | head -1)
        [ -n "$va" ] && [ "$va" = "$vr" ] || diffs="$diffs $k(analyze ${va#*:}, device ${vr#*:})"
    done
    [ -z "$diffs" ] && ok "$n: device counters equal analyze's ($(echo "$sa" | grep -o '"decoder":{"frames":[0-9]*' | grep -o '[0-9]*$') frames; $(echo "$sa" | grep -o '"capture":{[^}]*}' | grep -o '"frames_[a-z_]*":[0-9]*' | tr '\n' ' '))" \
        || fail "$n: counters differ:$diffs"
    # per-rule counters: the device's (behind its counter window) equal the reference's, rule for rule
    echo "$sa" | grep -o '"rules":\[[^]]*\]' > "$OUT/$n.a.rules"
    echo "$sr" | grep -o '"rules":\[[^]]*\]' > "$OUT/$n.r.rules"
    local nr
    nr=$(grep -o '"signature_id"' "$OUT/$n.a.rules" | wc -l)
    if [ "$nr" -gt 0 ] && cmp -s "$OUT/$n.a.rules" "$OUT/$n.r.rules"; then
        ok "$n: per-rule counters of $nr rules equal (matches, alerts, rate_limited)"
    else
        fail "$n: per-rule counters differ (analyze < > replay):"
        diff <(tr '{' '\n' < "$OUT/$n.a.rules") <(tr '{' '\n' < "$OUT/$n.r.rules") | head -20
    fi
    if [ -n "$ap" ]; then
        local ne
        ne=$(echo "$sa" | grep -o '"evidence_written":[0-9]*' | grep -o '[0-9]*$')
        if [ -s "$ap" ] && cmp -s "$ap" "$rp"; then ok "$n: evidence captures byte-identical ($ne records)"
        else fail "$n: evidence captures differ ($ap, $rp)"; fi
    fi
    local fr
    fr=$(echo "$sr" | grep -o '"replay":{[^}]*}')
    echo "     $fr"
    echo "$fr" | grep -q '"records_lost":0,"link_frames_lost":0,"device_errors":0' || fail "$n: replay lost records"
}
