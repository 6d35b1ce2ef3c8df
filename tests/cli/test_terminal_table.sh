#!/usr/bin/env bash
# The terminal table (sim/report/report_table.cpp):
#   * aligned for any strategy name: in every table, each left-aligned (name) column starts and each value
#     column ends where its header does, with a 60-character strategy name and a 1-character one;
#   * units in the headers (months), the paired (cluster-robust) HR CI named in the comparisons' title;
#   * compact by default: the flagship's endpoints and rates identical in every strategy, and comparisons of
#     a strategy equal to the reference, are left out with a footnote naming them; --all prints them;
#   * an RMST horizon past the follow-up is flagged (* and footnote, rmst_extrapolated in JSON, CSV and the
#     stored summaries a --summary-only run's report shows) and warned about on stderr;
#   * without a terminal, `mmsim run` prints periodic progress lines (patients, rate, ETA; the flagship's
#     lines per second) and progress of the statistics phase.
source "$2/tests/cli/lib.sh"

long=a_strategy_name_of_sixty_characters_that_is_very_long_indeed
[[ ${#long} -eq 60 ]] || note_fail "test setup: name of ${#long} characters"
sed "s/^name = \"standard\"/name = \"$long\"/; s/^name = \"better\"/name = \"b\"/" \
  "$root/tests/data/report/two_strategies.toml" > "$work/names.toml"
"$mmsim" run "$work/names.toml" --patients 400 --seed 3 --threads 2 --all -o "$work/names.h5" > "$work/names.txt" \
  2> "$work/err" || { cat "$work/err"; note_fail "run with long names"; }

"$mmsim" run "$root/configs/post_cart_salvage.toml" --patients 300 --seed 4 --threads 2 -o "$work/flag.h5" \
  > "$work/compact.txt" 2> "$work/err" || { cat "$work/err"; note_fail "flagship run"; }
"$mmsim" report "$work/flag.h5" --all > "$work/all.txt" 2> /dev/null || note_fail "report --all"

$py - "$work" "$long" <<'PY' || fail=1
import re, sys
work, long = sys.argv[1], sys.argv[2]
bad = []
cell = re.compile(r"\S+(?: \S+)*")  # cells are separated by two or more spaces

def check_alignment(path):
    blocks, current = [], []
    for line in open(path).read().split("\n"):
        if line.strip() == "":
            if current:
                blocks.append(current)
            current = []
        else:
            current.append(line)
    tables = 0
    for b in blocks:
        if len(b) < 3 or not b[1].startswith("strategy"):
            continue  # a footnote
        tables += 1
        head = [(m.start(), m.end()) for m in cell.finditer(b[1])]
        # Survival tables: strategy and endpoint left-aligned, numbers right-aligned. Other tables (economics:
        # strategy, then numbers) name their first column only: each cell starts or ends where its header does.
        survival = len(head) > 1 and b[1][head[1][0]:head[1][1]] == "endpoint"
        for row in b[2:]:
            cells = [(m.start(), m.end()) for m in cell.finditer(row)]
            if len(cells) > len(head):
                bad.append(f"{path}: more cells than headers: {row!r}")
                continue
            for i, (s, e) in enumerate(cells):
                if survival:
                    ok = s == head[i][0] if i < 2 else e == head[i][1]
                else:
                    ok = s == head[i][0] if i == 0 else (s == head[i][0] or e == head[i][1])
                if not ok:
                    bad.append(f"{path}: column {i} of {row!r} is not under its header {b[1]!r}")
                    break
    return tables

if check_alignment(f"{work}/names.txt") < 3:
    bad.append("names.txt: expected the survival, comparison and landmark tables")
text = open(f"{work}/names.txt").read()
if long not in text:
    bad.append("the long strategy name is not printed whole")
for unit in ("median, months (95% CI)", "S(6 months)", "RMST to 120 months (SE)", "RMST diff, months",
             "dS(6 months)", "95% CI (paired)"):
    if unit not in text:
        bad.append(f"header {unit!r} missing")
if "cluster-robust (sandwich) variance over patient id" not in text:
    bad.append("the comparisons' title does not name the HR CI's method")

compact, full = open(f"{work}/compact.txt").read(), open(f"{work}/all.txt").read()
check_alignment(f"{work}/compact.txt")
check_alignment(f"{work}/all.txt")
rows = lambda t, name: [l for l in t.split("\n") if re.match(rf"^\S+\s+{name}\s", l)]
if rows(compact, "cr_line1") or not rows(full, "cr_line1"):
    bad.append("cr_line1 (identical in every strategy) should be left out by default and shown by --all")
if "Not shown, identical in every strategy (--all shows them):" not in compact or "cr_line1" not in compact:
    bad.append("the compact table's footnote does not name what it left out")
comparison = lambda t: [l for l in t.split("\n") if l.startswith("switch_target_gprc5d_cart") and re.search(r"\bpfs\s+1\.00\s+\(1\.00, 1\.00\)", l)]
if comparison(compact) or not comparison(full):
    bad.append("the comparison of an arm equal to the reference (pfs, HR 1 (1, 1)) should show only with --all")
if len(full.split("\n")) <= len(compact.split("\n")):
    bad.append("--all is not longer than the compact table")
for b in bad:
    print("FAIL:", b)
sys.exit(1 if bad else 0)
PY

# RMST past the follow-up: flagged in every format and warned about.
cfg="$root/tests/data/report/two_strategies.toml"
"$mmsim" run "$cfg" --patients 300 --seed 3 --threads 2 -o "$work/r.h5" -q || note_fail "run"
"$mmsim" report "$work/r.h5" --rmst-horizon 500 > "$work/ext.txt" 2> "$work/ext.err" || note_fail "report --rmst-horizon 500"
grep -q "warning: the RMST horizon 500 months is past the last follow-up time" "$work/ext.err" ||
  note_fail "no warning on stderr: $(cat "$work/ext.err")"
grep -q "RMST to 500 months" "$work/ext.txt" && grep -q ") \*$" "$work/ext.txt" &&
  grep -q "^\* RMST horizon past the last follow-up time" "$work/ext.txt" || note_fail "table lacks the * flag"
"$mmsim" report "$work/r.h5" --rmst-horizon 60 > /dev/null 2> "$work/in.err" || note_fail "report --rmst-horizon 60"
[[ ! -s "$work/in.err" ]] || note_fail "a horizon inside the follow-up warns: $(cat "$work/in.err")"
"$mmsim" report "$work/r.h5" --rmst-horizon 500 --format json > "$work/ext.json" 2> /dev/null || note_fail "json"
"$mmsim" report "$work/r.h5" --rmst-horizon 500 --format csv > "$work/ext.csv" 2> /dev/null || note_fail "csv"
"$mmsim" report "$work/r.h5" --rmst-horizon 500 --format markdown > "$work/ext.md" 2> /dev/null || note_fail "markdown"
grep -q '\\\* RMST horizon\|^\* RMST horizon' "$work/ext.md" || note_fail "markdown lacks the flag's footnote"
"$mmsim" run "$cfg" --patients 300 --seed 3 --threads 2 --summary-only --rmst-horizon 500 -o "$work/s.h5" -q ||
  note_fail "summary-only run"
"$mmsim" report "$work/s.h5" --format json > "$work/stored.json" 2> "$work/stored.err" || note_fail "stored report"
grep -q "warning: the RMST horizon 500" "$work/stored.err" || note_fail "the stored report does not warn"
$py - "$work" <<'PY' || fail=1
import csv, json, sys
w = sys.argv[1]
for name in ("ext.json", "stored.json"):
    r = json.load(open(f"{w}/{name}"))
    # OS is still above 0 at the end of follow-up (PFS may reach 0, which needs no extrapolation).
    flags = [s["endpoints"]["os"]["rmst_extrapolated"] for s in r["strategies"]]
    assert flags and all(f == 1 for f in flags), (name, flags)
rows = [r for r in csv.DictReader(open(f"{w}/ext.csv")) if r["section"] == "summary" and r["endpoint"] == "os"]
assert rows and all(r["rmst_extrapolated"] == "1" for r in rows), rows[:1]
PY

# Progress without a terminal: periodic lines during the simulation and the statistics.
"$mmsim" run "$root/configs/post_cart_salvage.toml" --patients 4000 --seed 4 --threads 2 --block-size 100 --progress-every 0.02 \
  -o "$work/p.h5" > /dev/null 2> "$work/progress.err" || note_fail "run with progress"
grep -Eq '^\[mmsim\] +[0-9.]+%  [0-9]+/4000 patients  [0-9.]+( k| M)?/s \(.*lines [0-9.]+( k| M)?/s.*\)  elapsed [0-9]+ s  ETA [0-9]+ s$' \
  "$work/progress.err" || note_fail "no periodic progress line with patients, lines/s and ETA: $(head -3 "$work/progress.err")"
grep -Eq '^\[mmsim\] 100\.0%  4000/4000 patients .* in [0-9.]+ s$' "$work/progress.err" || note_fail "no final progress line"
grep -q 'summaries (strategy x endpoint)' "$work/progress.err" || note_fail "no progress of the statistics phase"
grep -q $'\r' "$work/progress.err" && note_fail "carriage returns in a log"
"$mmsim" run "$cfg" --patients 50 -o "$work/q.h5" > /dev/null 2> "$work/quiet.err" || note_fail "short run"
[[ ! -s "$work/quiet.err" ]] || note_fail "a run shorter than the interval prints progress: $(cat "$work/quiet.err")"
"$mmsim" run "$cfg" --patients 50 --progress-every 0 -o "$work/q.h5" 2> "$work/err"; rc=$?
[[ $rc -eq 2 ]] || note_fail "--progress-every 0 accepted"

[[ $fail -eq 0 ]] && echo "PASS: terminal table aligned, compact, flagged; progress in logs"
exit $fail
