#!/usr/bin/env bash
# mmsim report --by COLUMN (issue 11, "What to build" item 3): every summary and comparison per value of a
# u8, i32 or enumeration patients-table column of the flagship (the embedded default scenario):
#   * --by emd gives one section per value whose patient counts add up to the cohort, and whose summaries
#     have exactly that many patients;
#   * an enumeration column's groups are labelled by name (--by index_therapy);
#   * csv carries `by` and `group` columns; json is an object with the groups;
#   * an unknown column, or a continuous one, exits 2 naming it.
source "$2/tests/cli/lib.sh"

"$mmsim" run --patients 1500 --seed 5 --threads 2 --no-trajectories -o "$work/f.h5" -q 2>"$work/err" ||
  { cat "$work/err"; echo "FAIL: mmsim run"; exit 1; }
"$mmsim" report "$work/f.h5" --by emd --format csv >"$work/emd.csv" || note_fail "report --by emd"
head -1 "$work/emd.csv" | grep -q '^by,group,section,' || note_fail "csv header: $(head -1 "$work/emd.csv")"
# Per group: patients in the os summary of the first strategy (n), summed over the groups = 1500.
total=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "n") c = i; next }
  $3 == "summary" && $6 == "os" && !seen[$2]++ { s += $c } END { print s }' "$work/emd.csv")
[[ "$total" == 1500 ]] || note_fail "--by emd: the groups' os n add up to $total, not 1500"
groups=$(cut -d, -f2 "$work/emd.csv" | sed 1d | sort -u | tr '\n' ' ')
[[ "$groups" == "0 1 " ]] || note_fail "--by emd: groups '$groups', expected '0 1 '"
"$mmsim" report "$work/f.h5" --by emd >"$work/emd.txt" || note_fail "report --by emd (table)"
grep -q "== emd = 1 (" "$work/emd.txt" || note_fail "table lacks the emd = 1 section"
"$mmsim" report "$work/f.h5" --by index_therapy --format json >"$work/it.json" || note_fail "report --by index_therapy"
grep -q '"by": "index_therapy"' "$work/it.json" || note_fail "json lacks the by key"
grep -q '"group": "cilta_cel"' "$work/it.json" || note_fail "enumeration groups are not labelled by name"
if command -v python3 >/dev/null; then
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["groups"] and "report" in d["groups"][0]' \
    "$work/it.json" || note_fail "--by json does not parse"
fi

for bad in nonsense age; do
  "$mmsim" report "$work/f.h5" --by "$bad" >"$work/out" 2>"$work/err"
  code=$?
  [[ $code -eq 2 ]] || note_fail "--by $bad: exit $code, expected 2"
  grep -q -- "--by.*'$bad'" "$work/err" || note_fail "--by $bad: message does not name it: $(cat "$work/err")"
done
exit $fail
