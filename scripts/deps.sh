#!/usr/bin/env bash
# Installs the Debian packages the project needs, only those missing.
set -euo pipefail
pkgs=(build-essential cmake pkg-config verilator libsystemc-dev libcli11-dev libgtest-dev
      libgmock-dev libbenchmark-dev iverilog yosys gtkwave ccache nlohmann-json3-dev lcov jq
      nextpnr-ice40 fpga-icestorm xvfb xauth)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get install -y --no-install-recommends "${missing[@]}" \
    || { $SUDO apt-get update && $SUDO apt-get install -y --no-install-recommends "${missing[@]}"; }
fi
