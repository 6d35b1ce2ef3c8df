#!/usr/bin/env bash
# The flagship's rules, read back from its `lines` table (configs/post_cart_salvage.toml, a small cohort with a
# fixed seed):
#   * no dead rules: every own rule of every strategy chose a line for some patients, and every shared
#     [[fallback_rule]] (but the final stop, which starts no line) did in some strategy;
#   * each twin arm differs from its twin only as named: switch_target_gprc5d_cart_maintenance from
#     switch_target_gprc5d_cart only by the maintenance of line 2; mechanism_guided_no_addons from
#     mechanism_guided only by partners and maintenance (same patients at line 2, same rule name, same
#     therapy, line 1 identical); the add-on columns do differ;
#   * imperfect testing is on: some line-2 decisions were untested, and the untested ones took the default
#     branch (untested_switch_target) in mechanism_guided.
source "$2/tests/cli/lib.sh"

"$mmsim" run "$root/configs/post_cart_salvage.toml" --patients 2000 --seed 3 --threads 2 -q -o "$work/f.h5" ||
  { echo "FAIL run"; exit 1; }
"$mmsim" export "$work/f.h5" --table lines -o "$work/lines.csv" || { echo "FAIL export"; exit 1; }

"$py" - "$root/configs/post_cart_salvage.toml" "$work/lines.csv" <<'EOF' || fail=1
import csv, sys, tomllib
cfg = tomllib.load(open(sys.argv[1], "rb"))
rows = list(csv.DictReader(open(sys.argv[2])))
ok = True
def bad(msg):
    global ok
    ok = False
    print("FAIL", msg)

fired = {}
for r in rows:
    fired.setdefault(r["rule"], 0)
    fired[r["rule"]] += 1
for s in cfg["strategy"]:
    for k, rule in enumerate(s.get("rule", [])):
        label = f'{s["name"]}.{rule.get("name", f"rule[{k}]")}'
        if fired.get(label, 0) == 0:
            bad(f"dead rule {label}: chose no line")
for k, rule in enumerate(cfg.get("fallback_rule", [])):
    if rule.get("therapy") == "stop":
        continue   # a stop starts no line, so it has no row
    label = f'fallback.{rule.get("name", f"fallback_rule[{k}]")}'
    if fired.get(label, 0) == 0:
        bad(f"dead shared rule {label}: chose no line in any strategy")
print("rules fired:", sum(1 for s in cfg["strategy"] for _ in s.get("rule", [])), "own rules checked")

def by_key(strategy):
    return {(r["patient"], r["line"]): r for r in rows if r["strategy"] == strategy}

def twins(a, b, addons, same):
    ra, rb = by_key(a), by_key(b)
    line2 = lambda rs: {k for k in rs if k[1] == "2"}
    if line2(ra) != line2(rb):
        bad(f"{a} and {b}: different patients reach line 2")
    differ = 0
    for k in sorted(line2(ra) & line2(rb)):
        x, y = ra[k], rb[k]
        for col in same:
            if x[col] != y[col]:
                bad(f"{a} vs {b}, patient {k[0]} line 2: {col} {x[col]} vs {y[col]}")
                return
        if x["rule"].split(".", 1)[-1] != y["rule"].split(".", 1)[-1]:
            bad(f"{a} vs {b}, patient {k[0]}: rule {x['rule']} vs {y['rule']}")
            return
        differ += any(x[c] != y[c] for c in addons)
    for k in {k for k in ra if k[1] == "1"}:
        if any(ra[k][c] != rb.get(k, {}).get(c) for c in ("therapy", "end", "best_response", "mechanism")):
            bad(f"{a} vs {b}, patient {k[0]}: line 1 differs")
            return
    if differ == 0:
        bad(f"{a} vs {b}: the add-on columns {addons} never differ")
    print(f"{a} vs {b}: {len(line2(ra))} line-2 rows, same {same}; add-ons differ in {differ}")

twins("switch_target_gprc5d_cart", "switch_target_gprc5d_cart_maintenance", ["maintenance"],
      ["therapy", "partner", "start", "infusion", "best_response"])
twins("mechanism_guided", "mechanism_guided_no_addons", ["partner", "maintenance"],
      ["therapy", "start", "infusion"])
# The add-ons are the named ones: the switch twin's line 2 carries lenalidomide maintenance, the no-add-on twin
# no partner and no maintenance on any line.
for r in rows:
    if r["strategy"] == "switch_target_gprc5d_cart_maintenance" and r["line"] == "2" and r["maintenance"] != "lenalidomide":
        bad(f"switch_target_gprc5d_cart_maintenance patient {r['patient']}: line 2 maintenance {r['maintenance']}")
        break
    if r["strategy"] == "mechanism_guided_no_addons" and (r["partner"] != "none" or r["maintenance"] != "none"):
        bad(f"mechanism_guided_no_addons patient {r['patient']} line {r['line']}: {r['partner']}/{r['maintenance']}")
        break

# Testing: untested relapses exist, and in mechanism_guided they took the default branch.
index = by_key("mechanism_guided")
untested = [k for k, r in index.items() if r["line"] == "1" and r["end_reason"] == "progression"
            and r["tested"] == "0"]
tested = [k for k, r in index.items() if r["line"] == "1" and r["end_reason"] == "progression"
          and r["tested"] == "1"]
if not untested or not tested:
    bad(f"testing: {len(tested)} tested, {len(untested)} untested index progressions (want both)")
allowed = {"untested_switch_target", "oligo_radiotherapy", "emd_transplant", "emd_radiotherapy",
           "unfit_allogeneic", "older_bispecific"}   # rules before the default branch read no test result
for p, _ in untested:
    r2 = index.get((p, "2"))
    if r2 is not None and r2["rule"].split(".", 1)[-1] not in allowed:
        bad(f"untested patient {p} took {r2['rule']}")
        break
sys.exit(0 if ok else 1)
EOF
exit $fail
