#!/usr/bin/python3
"""Acceptance bands of the calibration and validation sets, computed from the evidence table.

Reads models/myeloma/evidence/evidence.csv and the two set files

    configs/calibration/calibration_set.csv   (targets of the whole-sequence fit)
    configs/calibration/validation_set.csv    (rows held out from every fit)

and rewrites in each set file the columns taken from the evidence row (population, endpoint, value, unit, n)
and the acceptance band (band_kind, band_low, band_high, on the natural scale of the row), so that the bands
are reproducible from the evidence alone. The band kind follows from the row, in this order (the rules are
stated in docs/calibration.md, "Calibration and validation sets"):

    upper_bound   the row is an upper bound (band_kind written by hand): [0, value]
    range         the row is one end of a published range (band_kind written by hand, partner_role = range):
                  [the smaller end, the larger end]
    ci            the published 95% CI (ci_low, ci_high)
    ci_mirrored   only one side of the CI is published (the other "not reached/estimable"): that side, and
                  on the other side the farther of its mirror image about the value (log scale for times and
                  ratios, identity scale for proportions, clipped to [0, 1]) and the no-CI relative bound
                  below (the unpublished side lay beyond follow-up: never narrower than no CI at all)
    wilson        a proportion with n and no CI: the Wilson score 95% interval
    wilson_assumed_n   the same where n is not reported but the value is 0 or 1 (a point would be
                  impossible to hit): n_override with n_source "assumed: ..."
    binomial_median    a median with n and no CI: the times at which an exponential curve through the
                  median crosses the ends of the Wilson interval of a proportion 0.5 at n (no censoring;
                  a real CI with censoring is wider)
    relative_10 / relative_20   neither CI nor n: +-10% of the value (calibration targets, the existing
                  pass rule) or +-20% (held-out rows, the issue's validation rule); proportions clipped

A row whose own CI or n is missing takes them from a partner row holding the same figure from its primary
source (partner_role = same_figure). Weights (calibration only): 1; 0.25 for rows whose source says NOT
VERIFIED, CONFLICT or APPROXIMATE (any case); 0 for a row that restates a figure counted under another id
(partner_role = restates). The script checks these rules, that no row is in both sets, that every row of
the issue's fixed held-out list is held out, and that at least 25 held-out checks remain.

Run from the repository root:   /usr/bin/python3 scripts/evidence_bands.py [--check]
(--check: exit 1 if a set file is not what this script would write; nothing is written.)
Standard library only.
"""
import csv
import io
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EVIDENCE = ROOT / "models" / "myeloma" / "evidence" / "evidence.csv"
SETS = {
    "calibration": ROOT / "configs" / "calibration" / "calibration_set.csv",
    "validation": ROOT / "configs" / "calibration" / "validation_set.csv",
}
COLUMNS = [
    "evidence_id", "set", "rule", "population", "endpoint", "value", "unit", "n", "band_kind", "band_low",
    "band_high", "weight", "n_override", "n_source", "partner_id", "partner_role", "model_output",
    "trial_emulation", "note",
]
# Never calibration targets (issue 11; ../shared/evidence/README.md: the seed's salvage figures are for the
# mechanisms to reproduce).
FIXED_HELD_OUT = ["S059", "S060", "S067", "S068", "S042", "S056", "S058", "S062", "S027", "S051", "S054",
                  "S084", "S069", "S070", "S071", "S072", "S073"]
MIN_HELD_OUT_CHECKS = 25
Z = 1.959963984540054  # two-sided 95%
WEAK_FLAGS = ("NOT VERIFIED", "CONFLICT", "APPROXIMATE")
PROPORTION_UNITS = {"proportion", "fraction"}
LOG_SCALE_UNITS = {"months", "days", "ratio"}


class BandError(Exception):
    pass


def number(text):
    text = (text or "").strip()
    return float(text) if text else None


def wilson(p, n):
    """Wilson score interval for a proportion p observed in n trials (95%)."""
    z2 = Z * Z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = Z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    low = 0.0 if p <= 0.0 else max(0.0, centre - half)
    high = 1.0 if p >= 1.0 else min(1.0, centre + half)
    return low, high


def relative_margin(entry):
    """The no-CI rule: +-10% for calibration targets (the existing pass rule), +-20% for held-out rows."""
    return 0.10 if entry["set"] == "calibration" else 0.20


def clip_proportion(lo, hi, unit):
    if unit in PROPORTION_UNITS:
        return max(0.0, lo), min(1.0, hi)
    return lo, hi


def fmt(x):
    if x is None:
        return ""
    return f"{x:.4g}"


def read_evidence():
    with open(EVIDENCE, newline="", encoding="utf-8") as fh:
        return {r["id"]: r for r in csv.DictReader(fh)}


def band(entry, evidence):
    """Band kind, low, high and the n used, for one set entry."""
    eid = entry["evidence_id"]
    row = evidence[eid]
    unit = row["unit"].strip()
    value = number(row["value"])
    if value is None:
        raise BandError(f"{eid}: the evidence row has no value")
    role = entry["partner_role"].strip()
    partner = None
    if entry["partner_id"].strip():
        pid = entry["partner_id"].strip()
        if pid not in evidence:
            raise BandError(f"{eid}: partner {pid} is not in {EVIDENCE.name}")
        partner = evidence[pid]
        if role not in ("same_figure", "restates", "range"):
            raise BandError(f"{eid}: partner_role must be same_figure, restates or range (got '{role}')")
    elif role:
        raise BandError(f"{eid}: partner_role without partner_id")

    def field(name):
        own = number(row[name])
        if own is None and partner is not None and role == "same_figure":
            return number(partner[name])
        return own

    lo, hi = field("ci_low"), field("ci_high")
    n = number(entry["n_override"]) if entry["n_override"].strip() else field("n")
    assumed = entry["n_source"].strip().lower().startswith("assumed")
    if entry["n_override"].strip() and not entry["n_source"].strip():
        raise BandError(f"{eid}: n_override needs an n_source (a row id, or 'assumed: why')")
    requested = entry["band_kind"].strip()

    if requested == "upper_bound":
        if "upper_bound" not in row["endpoint"]:
            raise BandError(f"{eid}: upper_bound band for an endpoint that is not a bound ({row['endpoint']})")
        return "upper_bound", 0.0, value, n
    if requested == "range":
        if role != "range" or partner is None:
            raise BandError(f"{eid}: a range band needs the other end as partner_id with partner_role = range")
        other = number(partner["value"])
        return "range", min(value, other), max(value, other), n
    # Every other kind follows from the row; a hand-written kind must agree with the derived one (below).
    if lo is not None and hi is not None:
        kind, low, high = "ci", lo, hi
    elif lo is not None or hi is not None:
        # The unpublished side was beyond follow-up ("not reached"): at least as far out as the mirror image
        # of the published side and as the no-CI rule's relative bound, whichever is farther.
        known = lo if lo is not None else hi
        mirror = value * value / known if unit in LOG_SCALE_UNITS else 2 * value - known
        relative = value * (1 + relative_margin(entry)) if lo is not None else value * (1 - relative_margin(entry))
        other = max(mirror, relative) if lo is not None else min(mirror, relative)
        low, high = clip_proportion(min(known, other), max(known, other), unit)
        kind = "ci_mirrored"
    elif unit in PROPORTION_UNITS and n is not None:
        kind = "wilson_assumed_n" if assumed else "wilson"
        low, high = wilson(value, n)
    elif row["endpoint"].startswith("median_") and unit == "months" and n is not None:
        p_lo, p_hi = wilson(0.5, n)
        kind = "binomial_median"
        low, high = value * math.log(p_hi) / math.log(0.5), value * math.log(p_lo) / math.log(0.5)
    else:
        if unit in PROPORTION_UNITS and value in (0.0, 1.0):
            raise BandError(f"{eid}: a proportion of {value} without n would be a point: give n_override "
                            "with n_source 'assumed: ...'")
        r = relative_margin(entry)
        kind = f"relative_{int(round(r * 100))}"
        low, high = clip_proportion(value * (1 - r), value * (1 + r), unit)
    if requested and requested != kind:
        raise BandError(f"{eid}: band_kind '{requested}' written, but the row gives '{kind}' "
                        "(clear the cell: the script derives it)")
    return kind, low, high, n


def expected_weight(entry, row):
    if entry["set"] != "calibration":
        return "held_out"
    if entry["partner_role"].strip() == "restates":
        return "0"
    if any(flag in row["source"].upper() for flag in WEAK_FLAGS):
        return "0.25"
    return "1"


def process(name, path, evidence, problems):
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise SystemExit(f"{path}: missing columns {missing}")
        entries = list(reader)
    out_rows, seen = [], set()
    for line, entry in enumerate(entries, start=2):
        eid = entry["evidence_id"].strip()
        where = f"{path.relative_to(ROOT)}:{line}"
        if entry["set"] != name:
            problems.append(f"{where}: set column '{entry['set']}' in the {name} file")
        if eid in seen:
            problems.append(f"{where}: {eid} listed twice")
        seen.add(eid)
        if eid not in evidence:
            problems.append(f"{where}: {eid} is not in {EVIDENCE.relative_to(ROOT)}")
            continue
        row = evidence[eid]
        try:
            kind, low, high, n = band(entry, evidence)
        except BandError as e:
            problems.append(f"{where}: {e}")
            continue
        weight = expected_weight(entry, row)  # computed, like the band: never written by hand
        out = dict(entry)
        out.update({
            "evidence_id": eid, "population": row["population"], "endpoint": row["endpoint"],
            "value": row["value"], "unit": row["unit"], "n": fmt(n), "band_kind": kind,
            "band_low": fmt(low), "band_high": fmt(high), "weight": weight,
        })
        out_rows.append(out)
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for r in out_rows:
        writer.writerow({c: r.get(c, "") for c in COLUMNS})
    return buf.getvalue(), [r["evidence_id"] for r in out_rows], out_rows


def main(argv):
    check = "--check" in argv[1:]
    if any(a not in ("--check",) for a in argv[1:]):
        raise SystemExit(__doc__)
    evidence = read_evidence()
    problems, texts, ids, rows = [], {}, {}, {}
    for name, path in SETS.items():
        texts[name], ids[name], rows[name] = process(name, path, evidence, problems)
    both = sorted(set(ids["calibration"]) & set(ids["validation"]))
    if both:
        problems.append(f"in both sets: {', '.join(both)}")
    absent = [i for i in FIXED_HELD_OUT if i not in ids["validation"]]
    if absent:
        problems.append(f"rows of the fixed held-out list not held out: {', '.join(absent)}")
    # A published range held out as its two ends counts as one check.
    checks = len([r for r in rows["validation"] if not (r["band_kind"] == "range" and r["evidence_id"] >
                                                          r["partner_id"])])
    if checks < MIN_HELD_OUT_CHECKS:
        problems.append(f"only {checks} held-out checks (at least {MIN_HELD_OUT_CHECKS})")
    if problems:
        for p in problems:
            print(f"evidence_bands: {p}", file=sys.stderr)
        return 2
    stale = [name for name, path in SETS.items() if path.read_text(encoding="utf-8") != texts[name]]
    if check:
        for name in stale:
            print(f"evidence_bands: {SETS[name].relative_to(ROOT)} is not up to date "
                  "(run /usr/bin/python3 scripts/evidence_bands.py)", file=sys.stderr)
        return 1 if stale else 0
    for name in stale:
        SETS[name].write_text(texts[name], encoding="utf-8")
    counted = len([r for r in rows["calibration"] if r["weight"] != "0"])
    print(f"calibration set: {len(rows['calibration'])} rows ({counted} counted; "
          f"{len(rows['calibration']) - counted} restated, weight 0)")
    print(f"validation set: {len(rows['validation'])} rows held out ({checks} checks)")
    kinds = {}
    for r in rows["calibration"] + rows["validation"]:
        kinds[r["band_kind"]] = kinds.get(r["band_kind"], 0) + 1
    print("band kinds: " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
