#!/usr/bin/python3
"""Writes economics.csv, a hand-made PSA sample in the shape `mmsim sweep` writes (docs/economics_voi.md), for
the tests of `mmsim voi` and scripts/plot_ce.py. Deterministic (numpy seed 14); rerun to regenerate:
    /usr/bin/python3 tests/data/voi/make_fixture.py tests/data/voi/psa_sweep/economics.csv
150 points x 2 replicates x 3 strategies. Parameters: hr_new (log-normal around 0.7), prog_scale (gamma,
mean 12 months), noise_param (uniform, no effect on outcomes: its EVPPI is ~0). Costs in USD, effects in QALYs
with a replicate's Monte Carlo noise."""
import sys
import numpy as np

rng = np.random.default_rng(14)
points, reps = 150, 2
hr = np.exp(rng.normal(np.log(0.7), 0.15, points))
scale = rng.gamma(36.0, 12.0 / 36.0, points)
noise = rng.uniform(0.0, 1.0, points)
rows = []
for p in range(points):
    for r in range(reps):
        base_q = 1.2 + 0.06 * scale[p]
        base_c = 60000 + 2500 * scale[p]
        out = {
            "standard": (base_c, base_q),
            "new_drug": (base_c + 120000 + 4000 * scale[p] * (1 - hr[p]), base_q + 2.4 * (1 - hr[p]) * scale[p] / 12),
            "combo": (base_c + 190000, base_q + 1.05 + 0.8 * (1 - hr[p])),
        }
        for s, (c, q) in out.items():
            c_obs = c + rng.normal(0, 2000)
            q_obs = q + rng.normal(0, 0.02)
            ly = q_obs / 0.8
            rows.append(f"{p},{r},{hr[p]!r},{scale[p]!r},{noise[p]!r},{s},500,{c_obs!r},2000,{q_obs!r},0.02,"
                        f"{ly!r},0.025,{c_obs * 1.1!r},{q_obs * 1.08!r},{ly * 1.08!r}")
with open(sys.argv[1], "w") as f:
    f.write("point,replicate,hr_new,prog_scale,noise_param,strategy,n,cost,cost_se,qaly,qaly_se,ly,ly_se,"
            "cost_undiscounted,qaly_undiscounted,ly_undiscounted\n")
    f.write("\n".join(rows) + "\n")
