# Scores tapwatch EVE output against a scenario's ground truth (tools/gen_scenario.py; format: docs/demo.md).
#   awk -f tools/scenario_score.awk build/scenario/backhaul.truth eve.json
# Prints per rule sid: flows expected to alert, flows found alerting, false alerts (an alert on a flow the truth
# does not list as alerting for that sid, or on a flow it does not know), then every miss and false alert.
# For pass rules (`#@ pass SID N`), the rule's match count in the stats event must be N.
# Exit status 0 when every expected flow alerted and there is no false alert, 1 otherwise, 2 on unreadable input.

function jstr(line, key,    m) {        # first "key":"value" (top level comes before nested objects)
    if (match(line, "\"" key "\":\"[^\"]*\"")) {
        m = substr(line, RSTART + length(key) + 4, RLENGTH - length(key) - 5)
        return m
    }
    return ""
}
function jnum(line, key) {
    if (match(line, "\"" key "\":[0-9]+")) return substr(line, RSTART + length(key) + 3, RLENGTH - length(key) - 3)
    return ""
}
BEGIN { FS = "\t"; nsids = 0; bad = 0; truth_rows = 0; eve_lines = 0 }
FNR == NR {
    if ($0 ~ /^#@ pass /) { split($0, a, " "); pass_exp[a[3]] = a[4]; if (!(a[3] in seen)) { seen[a[3]] = 1; order[++nsids] = a[3] } }
    if ($0 ~ /^#/ || NF < 8) next
    truth_rows++
    sid = $1
    if (!(sid in seen)) { seen[sid] = 1; order[++nsids] = sid }
    key = sid SUBSEP $3 SUBSEP $4 SUBSEP $5 SUBSEP $6 SUBSEP $7
    expect[key] = $2; casename[key] = $8
    if ($2 == "alert") expected[sid]++
    next
}
{ eve_lines++ }
/"event_type":"alert"/ {
    sid = jnum($0, "signature_id")
    sp = jnum($0, "src_port"); dp = jnum($0, "dest_port")
    if (sp == "") sp = 0
    if (dp == "") dp = 0
    key = sid SUBSEP jstr($0, "proto") SUBSEP jstr($0, "src_ip") SUBSEP sp SUBSEP jstr($0, "dest_ip") SUBSEP dp
    alerts[sid]++
    if (expect[key] == "alert") {
        if (!(key in found)) { found[key] = 1; nfound[sid]++ }
    } else {
        nfalse[sid]++
        if (!(sid in seen)) { seen[sid] = 1; order[++nsids] = sid }
        falses[++nf] = sprintf("false alert sid %s: %s %s:%s -> %s:%s (%s)", sid, jstr($0, "proto"),
                               jstr($0, "src_ip"), sp, jstr($0, "dest_ip"), dp,
                               (key in casename) ? casename[key] : "flow not in the truth")
    }
    next
}
/"event_type":"stats"/ {
    for (s in pass_exp) {
        if (match($0, "\"signature_id\":" s ",\"matches\":[0-9]+")) {
            m = substr($0, RSTART, RLENGTH); sub(/.*:/, "", m); pass_got[s] = m
        }
    }
    stats_seen = 1
}
END {
    if (truth_rows == 0) { print "scenario_score: the truth file has no rows" > "/dev/stderr"; exit 2 }
    if (!stats_seen) { print "scenario_score: no stats event in the EVE output" > "/dev/stderr"; exit 2 }
    printf "%-9s %-6s %8s %8s %6s %7s\n", "sid", "kind", "expected", "found", "false", "alerts"
    te = tf = tx = 0
    for (i = 1; i <= nsids; i++) {
        s = order[i]
        if (s in pass_exp) {
            ok = (pass_got[s] == pass_exp[s] && nfalse[s] + 0 == 0)
            printf "%-9s %-6s %8d %8d %6d %7d  matches %s of %s%s\n", s, "pass", 0, 0, nfalse[s], alerts[s],
                   pass_got[s] + 0, pass_exp[s], ok ? "" : "  <-- FAIL"
            if (!ok) bad = 1
            continue
        }
        ok = (nfound[s] + 0 == expected[s] + 0 && nfalse[s] + 0 == 0)
        printf "%-9s %-6s %8d %8d %6d %7d%s\n", s, "alert", expected[s], nfound[s], nfalse[s], alerts[s],
               ok ? "" : "  <-- FAIL"
        te += expected[s]; tf += nfound[s]; tx += nfalse[s]
        if (!ok) bad = 1
    }
    printf "%-9s %-6s %8d %8d %6d\n", "total", "", te, tf, tx
    for (k in expect) {
        if (expect[k] != "alert" || (k in found)) continue
        split(k, p, SUBSEP)
        printf "missed sid %s: %s %s:%s -> %s:%s (%s)\n", p[1], p[2], p[3], p[4], p[5], p[6], casename[k]
    }
    for (i = 1; i <= nf; i++) print falses[i]
    printf "detections: %d found of %d expected, %d false, recall %s\n", tf, te, tx,
           te ? sprintf("%.1f%%", 100 * tf / te) : "n/a"
    exit bad
}
