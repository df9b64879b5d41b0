#!/bin/bash
# Runs benchmark programs. Each prints rows "ROW<TAB>name<TAB>value<TAB>unit<TAB>baseline<TAB>ratio" (baseline and
# ratio "-" when the row compares against nothing; baseline names the compared figure and its value).
# Prints them as a table and writes the same figures as JSON to build/bench/bench-<time>.json.
set -u
out=${BUILD:-build}/bench
mkdir -p "$out"
json="$out/bench-$(date -u +%Y%m%dT%H%M%SZ).json"
rows=$(mktemp)
trap 'rm -f "$rows"' EXIT
for b in "$@"; do
    echo "bench: running $(basename "$b") ..." >&2
    "$b" | grep "^ROW" >>"$rows" || { echo "bench: $b failed" >&2; exit 1; }
done
printf '%-48s %16s %-10s %-34s %8s\n' name value unit baseline ratio
awk -F'\t' '{printf "%-48s %16s %-10s %-34s %8s\n", $2, $3, $4, $5, $6}' "$rows"
awk -F'\t' -v host="$(uname -n)" -v date="$(date -u +%FT%TZ)" '
  function q(s) { gsub(/\\/, "\\\\", s); gsub(/"/, "\\\"", s); return "\"" s "\"" }
  BEGIN { printf "{\"date\": %s, \"host\": %s, \"rows\": [\n", q(date), q(host) }
  { printf "%s  {\"name\": %s, \"value\": %s, \"unit\": %s", (NR > 1 ? ",\n" : ""), q($2), $3, q($4)
    if ($5 != "-") printf ", \"baseline\": %s, \"ratio\": %s", q($5), $6
    printf "}" }
  END { print "\n]}" }' "$rows" >"$json"
echo "bench: figures written to $json"
