# Prints the alerts of a tapwatch EVE JSON Lines file as a table: one row per (rule, packet-direction 5-tuple), in
# order of the first alert, with the number of alerts. No JSON library: the EVE writer's field order and escaping
# are fixed (docs/detection.md), and the keys read here hold no escaped quotes.
#   awk -f tools/eve_table.awk out/demo/eve.json
function jstr(line, key) {
    if (match(line, "\"" key "\":\"[^\"]*\"")) return substr(line, RSTART + length(key) + 4, RLENGTH - length(key) - 5)
    return ""
}
function jnum(line, key) {
    if (match(line, "\"" key "\":[0-9]+")) return substr(line, RSTART + length(key) + 3, RLENGTH - length(key) - 3)
    return ""
}
function ep(ip, port) {                      # address[:port], IPv6 in brackets when a port follows
    if (port == "") return ip
    return (index(ip, ":") ? "[" ip "]" : ip) ":" port
}
/"event_type":"alert"/ {
    sid = jnum($0, "signature_id")
    src = ep(jstr($0, "src_ip"), jnum($0, "src_port")); dst = ep(jstr($0, "dest_ip"), jnum($0, "dest_port"))
    key = sid SUBSEP src SUBSEP dst SUBSEP jstr($0, "proto")
    if (!(key in count)) {
        order[++n] = key
        ts = jstr($0, "timestamp"); t[key] = substr(ts, 12, 12)
        sig = jstr($0, "signature"); sub(/^TAPWATCH /, "", sig)
        if (length(sig) > 46) sig = substr(sig, 1, 45) "~"
        sg[key] = sig; sd[key] = sid; fl[key] = src " -> " dst; pr[key] = jstr($0, "proto")
        tun = ""
        if (match($0, /"tunnel":\{"kind":"[a-z0-9-]*"/)) { tun = substr($0, RSTART + 18, RLENGTH - 19) }
        tn[key] = tun == "" ? "-" : tun
        sv = jstr($0, "src_vendor"); dv = jstr($0, "dst_vendor")
        vd[key] = (sv == "" ? "-" : sv) ">" (dv == "" ? "-" : dv)
    }
    count[key]++
    total++
}
END {
    printf "%-12s %-7s %-46s %-44s %-5s %-8s %-11s %s\n", "time (UTC)", "sid", "signature", "src -> dst", "proto",
           "tunnel", "vendor s>d", "alerts"
    for (i = 1; i <= n; i++) {
        k = order[i]
        printf "%-12s %-7s %-46s %-44s %-5s %-8s %-11s %d\n", t[k], sd[k], sg[k], fl[k], pr[k], tn[k], vd[k], count[k]
    }
    printf "%d alerts in %d rows (rule, flow direction)\n", total, n
}
