#!/usr/bin/env bash
# Quick start, command 2: installs what is missing, builds, and runs every test:
#   1. clang-format check of every C++ file;
#   2. Release build with warnings as errors, the whole ctest suite;
#   3. libFuzzer build of the config loader (clang, build/fuzz) and a 60 s fuzzing run (tests/fuzz/run_fuzz.sh);
#   4. ASan/UBSan build, the unit tests and the error-path CLI tests (label sanitize) under the sanitizers.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
"$root/scripts/install_deps.sh" --cluster
jobs=$(nproc 2>/dev/null || echo 2)

echo "== clang-format"
mapfile -t sources < <(git ls-files '*.cpp' '*.hpp' '*.hpp.in' 2>/dev/null | grep -v '\.in$' || true)
if [[ ${#sources[@]} -gt 0 ]]; then
  clang-format --dry-run --Werror "${sources[@]}"
fi

echo "== release build"
"$root/scripts/build.sh" release
echo "== tests (release)"
(cd build/release && ctest --output-on-failure --no-tests=error -j "$jobs" --timeout 600)

echo "== fuzzing the config loader (libFuzzer, 60 s; longer runs: tests/fuzz/run_fuzz.sh SECONDS)"
"$root/tests/fuzz/run_fuzz.sh" 60

echo "== sanitizer build (ASan + UBSan)"
"$root/scripts/build.sh" asan
echo "== unit tests and error-path CLI tests under ASan + UBSan"
(cd build/asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
   ctest --output-on-failure --no-tests=error -j "$jobs" --timeout 900 -L 'unit|sanitize')
