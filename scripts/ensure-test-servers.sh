#!/usr/bin/env bash
# Part of `npm test`: the real programs some tests start on 127.0.0.1, installed from Debian's packages when
# missing — Chromium (`chromium`: the promotion board is rendered in it) and Prometheus (`prometheus`: metric
# checks and the canary rollout are watched by a real server). A failure to install does not fail this script:
# the tests that need the program are then skipped with the reason printed. Set CHROMIUM_PATH or
# PROMETHEUS_PATH to use another binary; SKIP_CHROMIUM_INSTALL=1 / SKIP_PROMETHEUS_INSTALL=1 to never install.
set -uo pipefail
packages=()
if [ -z "${CHROMIUM_PATH:-}" ] && [ "${SKIP_CHROMIUM_INSTALL:-}" != 1 ] && ! command -v chromium >/dev/null 2>&1; then
  packages+=(chromium)
fi
if [ -z "${PROMETHEUS_PATH:-}" ] && [ "${SKIP_PROMETHEUS_INSTALL:-}" != 1 ] && ! command -v prometheus >/dev/null 2>&1; then
  packages+=(prometheus)
fi
[ ${#packages[@]} -eq 0 ] && exit 0

install_packages() {
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null 2>&1; then
      echo "${packages[*]}: not root and no sudo; cannot install" >&2
      return 1
    fi
    sudo=(sudo -n)
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "${packages[*]}: no apt-get on this machine; install them or set CHROMIUM_PATH / PROMETHEUS_PATH" >&2
    return 1
  fi
  # The package's own service is not wanted: the tests start their own servers on free ports.
  ${sudo[@]+"${sudo[@]}"} apt-get update &&
    ${sudo[@]+"${sudo[@]}"} env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${packages[@]}"
}
started=$SECONDS
if install_packages >/dev/null; then
  echo "installed ${packages[*]} in $((SECONDS - started)) s"
else
  echo "warning: ${packages[*]} could not be installed; the tests that need them will be skipped" >&2
fi
exit 0
