#!/usr/bin/env bash
# Install the browser tests/test_web_browser.py drives (Debian 12, as root): Debian's own
# chromium and chromium-driver, so the tests never download a browser build of their own.
# Idempotent: does nothing when both are there. Without root it only says what is missing;
# the browser tests then skip, saying why.
set -euo pipefail

have_all() {
  command -v chromium >/dev/null && command -v chromedriver >/dev/null
}

if have_all; then
  echo "browser deps: already installed"
  exit 0
fi
if [[ $(id -u) -ne 0 ]]; then
  echo "browser deps: missing and not root; browser tests will be skipped." >&2
  echo "  as root run: bash .ci/install-browser-deps.sh" >&2
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null
have_all || { echo "browser deps: install incomplete" >&2; exit 1; }
echo "browser deps: installed"
