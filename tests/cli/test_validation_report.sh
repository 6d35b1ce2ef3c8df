#!/usr/bin/env bash
# The calibration and validation checks of docs/calibration.md ("Checks"), against the committed model:
#   * every calibration target of configs/calibration/default.toml inside its band, up to the number
#     configs/calibration/acceptance.toml allows (scripts/calibration_check.py: re-simulates every target);
#   * the held-out validation re-simulated (scripts/validation_report.py, the committed cohort size, so the
#     values are the committed ones) passes at least validation_passes_min checks, and the committed
#     results/validation.md states the same count as the re-simulation (the table is not stale);
#   * the flagship's salvage-line emulation takes the flagship's strategies by include;
#   * the pass fraction is over all held-out checks (an unemulated row counts as not passed, and is listed);
#   * a validation emulation that names a calibration row is refused.
set -u
mmsim=$1
root=$2
py=/usr/bin/python3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0
bad() { echo "FAIL $*"; fail=1; }

out=$(nice -n 10 "$py" "$root/scripts/calibration_check.py" "$mmsim") || bad "calibration targets: $out"
echo "$out" | head -3

min=$(sed -n 's/^validation_passes_min = \([0-9]*\).*/\1/p' "$root/configs/calibration/acceptance.toml")
line=$(nice -n 10 "$py" "$root/scripts/validation_report.py" "$mmsim" --replicates 2 --out "$work/validation.md") ||
  bad "validation_report.py failed"
echo "$line"
passes=$(echo "$line" | sed -n 's/^validation: \([0-9]*\) of .*/\1/p')
[ -n "$passes" ] && [ "$passes" -ge "$min" ] || bad "validation passes $passes < committed minimum $min"
committed=$(sed -n 's/^<!-- validation: \(.*\) -->$/\1/p' "$root/results/validation.md")
fresh=$(sed -n 's/^<!-- validation: \(.*\) -->$/\1/p' "$work/validation.md")
[ "$committed" = "$fresh" ] || bad "results/validation.md is stale: committed '$committed', re-simulated '$fresh'"

# The emulation takes the flagship's strategies by include (no copy to drift) and writes none of its own.
grep -q '"../../post_cart_salvage.toml"' "$root/configs/trials/validation/post_cart_salvage_lines.toml" ||
  bad "post_cart_salvage_lines.toml does not include the flagship"
! grep -q '^\[\[strategy\]\]' "$root/configs/trials/validation/post_cart_salvage_lines.toml" ||
  bad "post_cart_salvage_lines.toml writes strategies of its own"

# A held-out emulation may not hold a calibration row (X001 is KarMMa's ORR, a calibration target).
mkdir -p "$work/root/configs/trials/validation" "$work/root/configs/calibration" "$work/root/scripts"
cp "$root/configs/calibration/"*.csv "$work/root/configs/calibration/"
cp "$root/scripts/validation_report.py" "$work/root/scripts/"
for d in models configs/trials/common configs/post_cart_salvage.toml; do ln -s "$root/$d" "$work/root/$d"; done
# The pass fraction is over ALL held-out checks: with one emulation only (soc_cilta.toml, 9 checks), the other
# rows count as not passed and are listed, and the headline names all of them.
cp "$root/configs/trials/validation/soc_cilta.toml" "$work/root/configs/trials/validation/soc_cilta.toml"
checks=$("$py" -c 'import csv,sys
rows=list(csv.DictReader(open(sys.argv[1])))
print(len(rows)-sum(1 for r in rows if r["partner_role"]=="range" and r["partner_id"] and r["evidence_id"]>r["partner_id"]))' \
  "$root/configs/calibration/validation_set.csv")
one=$("$py" "$work/root/scripts/validation_report.py" "$mmsim" --replicates 2 --patients 500 --out "$work/one.md") ||
  bad "validation_report.py with one emulation failed"
echo "$one" | grep -Eq "^validation: [0-9] of $checks held-out checks pass \(9 emulated\)" ||
  bad "one emulation: not counted over all $checks held-out checks: $one"
grep -q "^| S058 |" "$work/one.md" || bad "an unemulated row (S058) is not listed"
sed 's/evidence = "X250"/evidence = "X001"/' "$root/configs/trials/validation/soc_cilta.toml" \
  > "$work/root/configs/trials/validation/soc_cilta.toml"
if msg=$("$py" "$work/root/scripts/validation_report.py" "$mmsim" --replicates 2 --patients 500 \
  --out "$work/x.md" 2>&1); then
  bad "a calibration row in a validation emulation was accepted"
else
  echo "$msg" | grep -q "X001 is a calibration row" || bad "wrong refusal: $msg"
fi
exit $fail
