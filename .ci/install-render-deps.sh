#!/usr/bin/env bash
# Install what the rendering tests and `drafter preview` need (Debian 12, as root):
# LibreOffice headless, poppler (pdftotext, pdffonts, pdftoppm), pandoc and free stand-ins for the
# 公文 fonts named in drafter/fonts/fonts.conf. Idempotent: does nothing when all is there.
# Without root it only says what is missing; tests/test_rendering.py then skips, saying why.
# `--list-packages` prints the Debian packages and exits.
set -euo pipefail

# The package list lives in drafter/preview.py (APT_PACKAGES: its install hint names them too).
preview="$(cd "$(dirname "$0")/.." && pwd)/drafter/preview.py"
mapfile -t packages < <(sed -n '/^APT_PACKAGES = (/,/^)/s/^ *"\([^"]*\)",*$/\1/p' "$preview")
if [[ ${#packages[@]} -eq 0 ]]; then
  echo "render deps: no APT_PACKAGES list in $preview" >&2
  exit 1
fi
# Only the tests need these: pandoc reads every sample's headings (tests/test_word_native.py).
test_packages=(pandoc)
if [[ ${1:-} == --list-packages ]]; then
  echo "${packages[*]}"
  exit 0
fi

fandol=/usr/local/share/fonts/fandol
have_all() {
  command -v soffice >/dev/null && command -v pdftoppm >/dev/null \
    && command -v pdftotext >/dev/null && command -v pdffonts >/dev/null \
    && command -v fc-list >/dev/null && command -v pandoc >/dev/null \
    && ls "$fandol"/FandolFang-Regular.otf >/dev/null 2>&1 \
    && fc-list : family | grep -q "Noto Serif CJK SC" \
    && fc-list : family | grep -q "AR PL KaitiM GB"
}

if have_all; then
  echo "render deps: already installed"
  exit 0
fi
if [[ $(id -u) -ne 0 ]]; then
  echo "render deps: missing and not root; rendering tests will be skipped." >&2
  echo "  as root run: bash .ci/install-render-deps.sh" >&2
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${packages[@]}" "${test_packages[@]}" >/dev/null
# FandolFang is the only free 仿宋 with simplified characters in Debian. It ships inside
# texlive-lang-chinese; take the four fonts out of the .deb rather than install TeX.
if ! ls "$fandol"/FandolFang-Regular.otf >/dev/null 2>&1; then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && apt-get download -qq texlive-lang-chinese 2>/dev/null \
     && dpkg-deb -x texlive-lang-chinese_*.deb x)
  mkdir -p "$fandol"
  cp "$tmp"/x/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol/Fandol{Fang,Kai,Hei,Song}-*.otf \
     "$fandol"/
fi
fc-cache -f >/dev/null
have_all || { echo "render deps: install incomplete" >&2; exit 1; }
echo "render deps: installed"
