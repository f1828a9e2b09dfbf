#!/usr/bin/env bash
# Installs the Debian packages the tests use as independent ground truth or real peers, when
# they are missing: Chromium (browser tests), nginx (HTTP range serving), and h5py + NumPy for
# Debian's own python3 (/usr/bin/python3; the python3 first on PATH may be another install).
# Safe to run again: it installs nothing that is already there. Needs root (CI and the dev
# machine run as root); without root it says what is missing and exits 1.
set -euo pipefail

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v nginx >/dev/null 2>&1 || [[ -x /usr/sbin/nginx ]] || missing+=(nginx-light)
/usr/bin/python3 -c 'import numpy' >/dev/null 2>&1 || missing+=(python3-numpy)
/usr/bin/python3 -c 'import h5py' >/dev/null 2>&1 || missing+=(python3-h5py)

source "$(dirname "${BASH_SOURCE[0]}")/apt-install-missing.sh"
apt_install_missing "${missing[@]}"
