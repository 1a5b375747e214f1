#!/usr/bin/env bash
# Installs the Debian 12 packages attachsim needs, if any is missing. Idempotent and silent when
# everything is already there. Run as root (or with sudo available).
#   --with-mpi  also what the MPI build and its tests need (docs/hpc.md): OpenMPI, parallel HDF5,
#               and Slurm with munge for the batch-script test on localhost.
set -euo pipefail

packages=(
  # toolchain
  g++ cmake ninja-build pkg-config
  # libraries (see README, "Dependencies")
  libeigen3-dev libtbb-dev libhdf5-dev zlib1g-dev libboost-program-options-dev libboost-dev
  librandom123-dev libtomlplusplus-dev
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev
  # reading results: command-line tools, the Python examples and the HTML report
  hdf5-tools python3-h5py python3-numpy python3-matplotlib python3-pandas
  # the R example that reads attachsim export's tables (its test runs it)
  r-base-core
  # the explorer (docs/explorer.md): Emscripten for the WebAssembly build, Chart.js for its
  # charts; its browser test drives Chromium through the DevTools protocol (python3-websocket)
  emscripten libjs-chart.js python3-websocket
  # the browser tests of the report and the explorer (the explorer's also in Firefox)
  chromium firefox-esr
  # the fuzz targets (docs/reliability.md): clang with libFuzzer and the sanitizers' runtimes
  clang-14 libclang-rt-14-dev
)
if [ "${1:-}" = "--with-mpi" ]; then
  packages+=(openmpi-bin libopenmpi-dev libhdf5-openmpi-dev slurm-wlm munge)
elif [ -n "${1:-}" ]; then
  echo "setup: unknown option '$1'; allowed: --with-mpi" >&2
  exit 2
fi

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
  [ "$status" = "installed" ] || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "setup: need root to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
