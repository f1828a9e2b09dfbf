#!/usr/bin/env bash
# Installs Debian's Apache 2, lighttpd and Caddy for httpSource's interop matrix
# (packages/core/test/http/http-source-interop.node.test.ts), when they are missing. Opt-in: the
# default `pnpm test` skips those rows when the servers are absent (installing them takes about
# 25 s here). No service is started: the tests run each server on a loopback port of their own.
# Needs root; without root it says what is missing and exits 1.
set -euo pipefail

missing=()
[[ -x /usr/sbin/apache2 ]] || missing+=(apache2)
[[ -x /usr/sbin/lighttpd ]] || missing+=(lighttpd)
[[ -x /usr/bin/caddy ]] || missing+=(caddy)

source "$(dirname "${BASH_SOURCE[0]}")/apt-install-missing.sh"
apt_install_missing "${missing[@]}"
