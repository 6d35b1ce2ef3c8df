#!/usr/bin/env bash
# Regenerates the committed regression references (tests/regression/*.csv) on purpose, after a change that is
# meant to change results. Review `git diff tests/regression` before committing.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/build.sh" release
MMSIM_UPDATE_REFERENCES=1 "$root/build/release/tests/mmsim_cli_tests" "[regression]"
git -C "$root" diff --stat -- tests/regression
