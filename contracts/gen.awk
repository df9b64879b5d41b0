# Generates the Verilog and C views of a tapwatch contract (.def) file.
# usage: awk -v out=vh|h -v guard=NAME -v pfx=TW_M -f gen.awk FILE.def
function emit_field(name, w, doc) {
    names[nf] = name; widths[nf] = w; lsbs[nf] = pos; docs[nf] = doc; nf++; pos += w
}
function rest(from,    s, k) { s = ""; for (k = from; k <= NF; k++) s = s (s == "" ? "" : " ") $k; return s }
BEGIN { nf = 0; pos = 0; inlayer = ""; nc = 0; recname = "" }
/^[ \t]*#/ || /^[ \t]*$/ { next }
$1 == "const" { cn[nc] = $2; cv[nc] = $3; cd[nc] = rest(4); nc++; next }
$1 == "layer" { inlayer = $2; ln[inlayer] = 0; next }
$1 == "endlayer" { inlayer = ""; next }
$1 == "record" { recname = $2; next }
$1 == "prefix" { pfx = $2; next }
$1 == "endrecord" { next }
$1 == "field" {
    if (inlayer != "") { k = ln[inlayer]++; lf[inlayer, k] = $2; lw[inlayer, k] = $3; ld[inlayer, k] = rest(4) }
    else emit_field($2, $3, rest(4))
    next
}
$1 == "pad" { emit_field("rsvd" pos, $2, "reserved"); next }
$1 == "use" {
    for (k = 0; k < ln[$2]; k++) emit_field($3 "_" lf[$2, k], lw[$2, k], ld[$2, k])
    next
}
{ printf("%s:%d: unknown directive '%s'\n", FILENAME, FNR, $1) > "/dev/stderr"; bad = 1; exit 1 }
END {
    if (bad) exit 1
    P = toupper(pfx)
    if (out == "vh") {
        print "// Generated from " FILENAME " by contracts/gen.awk: do not edit."
        print "`ifndef " guard "_VH"
        print "`define " guard "_VH"
        for (i = 0; i < nc; i++) printf("`define TW_%s %d\n", cn[i], cv[i])
        for (i = 0; i < nf; i++) {
            N = toupper(names[i])
            printf("`define %s_%s %d +: %d\n", P, N, lsbs[i], widths[i])
            printf("`define %s_%s_LSB %d\n", P, N, lsbs[i])
            printf("`define %s_%s_W %d\n", P, N, widths[i])
        }
        if (recname != "") printf("`define %s_WIDTH %d\n", P, pos)
        print "`endif"
    } else {
        print "/* Generated from " FILENAME " by contracts/gen.awk: do not edit. */"
        print "#ifndef " guard "_H"
        print "#define " guard "_H"
        print "#include <stddef.h>"
        print "#include <stdint.h>"
        print ""
        for (i = 0; i < nc; i++) printf("#define TW_%s %d%s\n", cn[i], cv[i], cd[i] != "" ? " /* " cd[i] " */" : "")
        print ""
        for (i = 0; i < nf; i++) {
            N = toupper(names[i])
            printf("#define %s_%s_LSB %d\n#define %s_%s_W %d\n", P, N, lsbs[i], P, N, widths[i])
        }
        if (recname != "") printf("#define %s_WIDTH %d\n#define %s_BYTES ((%s_WIDTH + 7) / 8)\n\n", P, pos, P, P)
        if (recname == "") { print "#endif"; exit 0 }
        printf("/* The record %s decoded: one member per field (arrays are wire order). */\n", recname)
        printf("struct tw_%s {\n", recname)
        for (i = 0; i < nf; i++) {
            w = widths[i]
            if (w > 64) printf("    uint8_t %s[%d];", names[i], w / 8)
            else printf("    %s %s;", w > 32 ? "uint64_t" : w > 16 ? "uint32_t" : w > 8 ? "uint16_t" : "uint8_t", names[i])
            if (docs[i] != "") printf(" /* %d bits: %s */\n", w, docs[i]); else printf(" /* %d bits */\n", w)
        }
        print "};"
        print ""
        printf("/* One row per field: name, first bit in the record, width, member offset and size. */\n")
        printf("#define TW_%s_FIELDS(X) \\\n", toupper(recname))
        for (i = 0; i < nf; i++) printf("    X(%s, %d, %d)%s\n", names[i], lsbs[i], widths[i], i < nf - 1 ? " \\" : "")
        print ""
        print "#endif"
    }
}
