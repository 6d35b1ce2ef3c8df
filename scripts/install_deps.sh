#!/usr/bin/env bash
# Installs, from Debian's archive, whatever mmsim needs and this machine lacks.
# Idempotent and quiet when everything is present. Needs root (or sudo) only when it installs.
#   scripts/install_deps.sh            build + test + plotting dependencies
#   scripts/install_deps.sh --cluster  also OpenMPI and SLURM (sweeps on clusters, their tests)
#   scripts/install_deps.sh --cluster --list   prints the packages, one per line, and installs nothing
set -euo pipefail

packages=(
  g++ cmake make pkg-config                      # compiler of record: g++ 12 (Debian 12)
  libboost-program-options-dev libboost-math-dev # CLI; reference CDFs in tests, special functions
  libtbb-dev                                     # threads
  libhdf5-dev hdf5-tools                         # output; h5dump for humans and tests
  libdeflate-dev zlib1g-dev                      # deflate encoder of the run files' chunks (standard zlib
                                                 # streams HDF5 reads); zlib: the tests' independent decoder
  libfmt-dev libtomlplusplus-dev librandom123-dev
  catch2                                         # tests (Debian ships v2.13)
  clang-format git                               # style check in the test suite (over git ls-files); revision
  clang libclang-rt-14-dev                       # libFuzzer targets of the config loader (tests/fuzz)
  python3-h5py python3-matplotlib python3-numpy  # scripts/plot_km.py, plot_cif.py (run with /usr/bin/python3)
  python3-pandas r-bioc-rhdf5                    # scripts/mmsim_read.py and mmsim_read.R (tidy data; tested)
  r-base-core r-cran-survival r-cran-mgcv        # independent statistics oracles in the tests (mgcv: EVPPI GAM)
  libnlopt-cxx-dev                               # calibration optimizer
)
if [[ "${1:-}" == "--cluster" ]]; then
  packages+=(openmpi-bin libopenmpi-dev slurm-wlm munge)
  # What the cluster tests call beyond that (not all in a minimal Debian root): ip (tests/cli/test_sweep_mpi.sh
  # brings up loopback in a network namespace), unshare/setpriv and mount (test_sweep_slurm.sh: private host
  # name and /etc/hosts, munged as its user).
  packages+=(iproute2 util-linux mount)
fi

if [[ "${2:-${1:-}}" == "--list" ]]; then
  printf '%s\n' "${packages[@]}"
  exit 0
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

sudo=""
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "install_deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
echo "install_deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq >/dev/null
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
