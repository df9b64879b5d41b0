#!/bin/sh
# Installs the Debian/Ubuntu packages tapwatch needs, only those missing. Root runs apt-get directly; others
# through sudo when available, or are told the one command to run.
# Optional, not needed for the tests: `tools/deps.sh --flash` installs openFPGALoader (make flash BOARD=...),
# `tools/deps.sh --synth` python3-venv (make synth BOARD=colorlight_i5 pip-installs the yowasp tools into a venv).
set -e
if [ "${1:-}" = "--flash" ]; then
    PKGS="openfpgaloader"
elif [ "${1:-}" = "--synth" ]; then
    PKGS="python3-venv python3-pip"
else
PKGS="build-essential pkg-config gawk verilator yosys libpcap-dev libusb-1.0-0-dev libcmocka-dev libyaml-dev
tshark python3 python3-scapy ieee-data umockdev libumockdev-dev clang libclang-rt-14-dev valgrind"
fi
missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
# Ubuntu names the clang runtime differently; accept any libclang-rt-*-dev.
case "$missing" in *libclang-rt-14-dev*)
    if dpkg-query -W -f='${Package}\n' 'libclang-rt-*-dev' 2>/dev/null | grep -q .; then
        missing=$(echo "$missing" | sed 's/ libclang-rt-14-dev//'); fi;;
esac
if [ -z "$missing" ]; then echo "deps: all packages present"; exit 0; fi
echo "deps: installing:$missing"
if [ "$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null; then SUDO="sudo"; else
    echo "deps: not root and no sudo; run as root: apt-get install -y$missing" >&2; exit 1; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# tshark asks whether non-root users may capture; answer no without a prompt.
echo "wireshark-common wireshark-common/install-setuid boolean false" | $SUDO debconf-set-selections 2>/dev/null || true
# Ubuntu has no libclang-rt-14-dev on every release: fall back to the default clang's runtime.
if ! $SUDO apt-get install -y -qq --no-install-recommends $missing; then
    missing=$(echo "$missing" | sed 's/ libclang-rt-14-dev//')
    $SUDO apt-get install -y -qq --no-install-recommends $missing
fi
