#!/usr/bin/env bash
# Sourced by the install scripts: apt_install_missing PACKAGE... installs the Debian packages
# given (those found missing), or, without root, says what is missing and returns 1.
apt_install_missing() {
  if [[ $# -eq 0 ]]; then
    return 0
  fi
  if [[ $(id -u) -ne 0 ]]; then
    echo "missing system packages: $* (run: sudo apt-get install -y $*)" >&2
    return 1
  fi
  echo "installing system packages: $*"
  export DEBIAN_FRONTEND=noninteractive
  # Another apt run (a parallel test setup) holds the lock for a while: wait for it.
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "$@" >/dev/null
  echo "installed: $*"
}
