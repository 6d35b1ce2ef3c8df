#!/usr/bin/env python3
"""Counts the calibration targets outside their band (docs/calibration.md): every trial config listed in
configs/calibration/default.toml is run by `mmsim calibrate --predict --csv` (the fit's code and pass rule:
inside the target's CI, the acceptance band given as ci_low/ci_high, or within 10%), and the targets outside
are printed. Exit 1 if more are outside than configs/calibration/acceptance.toml allows.

Usage: scripts/calibration_check.py MMSIM [--patients N]   (standard library only)
"""
import argparse, csv, io, os, subprocess, sys, tomllib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mmsim")
    ap.add_argument("--patients", type=int, default=10000)
    args = ap.parse_args()
    cal_dir = os.path.join(ROOT, "configs/calibration")
    with open(os.path.join(cal_dir, "default.toml"), "rb") as f:
        trials = tomllib.load(f)["calibration"]["trials"]
    with open(os.path.join(cal_dir, "acceptance.toml"), "rb") as f:
        allowed = tomllib.load(f)["calibration_targets_outside_max"]
    total, outside = 0, []
    for t in trials:
        path = os.path.normpath(os.path.join(cal_dir, t))
        out = subprocess.run([os.path.abspath(args.mmsim), "calibrate", "--predict", "--csv", path, "--patients",
                              str(args.patients), "--replicates", "2", "--threads", "2"],
                             check=True, capture_output=True, text=True).stdout
        for r in csv.DictReader(io.StringIO(out)):
            total += 1
            if r["pass"] != "yes":
                outside.append(f"{r['trial']}: {r['label']} ({r['evidence']}) published {r['value']} "
                               f"[{r['ci_low']}, {r['ci_high']}], simulated {float(r['simulated']):.4g}")
    print(f"calibration: {total - len(outside)} of {total} targets inside their band ({len(outside)} outside, "
          f"{allowed} allowed by configs/calibration/acceptance.toml)")
    for o in outside:
        print("  outside: " + o)
    sys.exit(1 if len(outside) > allowed else 0)


if __name__ == "__main__":
    main()
