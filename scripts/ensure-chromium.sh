#!/usr/bin/env bash
# Part of `npm test`: the promotion board test renders its page in headless Chromium (Debian's `chromium`
# package). Installs it when missing; a failure to install does not fail the tests: the Chromium tests are then
# skipped with the reason printed. Set CHROMIUM_PATH to use another browser binary, SKIP_CHROMIUM_INSTALL=1 to
# never install.
set -uo pipefail
if [ -n "${CHROMIUM_PATH:-}" ] || [ "${SKIP_CHROMIUM_INSTALL:-}" = 1 ] || command -v chromium >/dev/null 2>&1; then
  exit 0
fi
install_chromium() {
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null 2>&1; then
      echo "chromium: not root and no sudo; cannot install it" >&2
      return 1
    fi
    sudo=(sudo -n)
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "chromium: no apt-get on this machine; install Chromium or set CHROMIUM_PATH" >&2
    return 1
  fi
  ${sudo[@]+"${sudo[@]}"} apt-get update &&
    ${sudo[@]+"${sudo[@]}"} env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium
}
started=$SECONDS
if install_chromium >/dev/null; then
  echo "chromium: installed in $((SECONDS - started)) s: $(chromium --version 2>/dev/null || echo 'version unknown')"
else
  echo "warning: chromium could not be installed; the status board tests in Chromium will be skipped" >&2
fi
exit 0

