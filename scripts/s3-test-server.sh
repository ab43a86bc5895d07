#!/usr/bin/env bash
# A real S3-compatible server on loopback for tests: moto's standalone server (PyPI `moto[server]`),
# installed on first use into the ignored venv <KGTUNE_HOME>/venv-s3.
#
#   scripts/s3-test-server.sh install        # create the venv and pip-install (idempotent)
#   scripts/s3-test-server.sh run PORT       # install if needed, then exec moto_server on 127.0.0.1:PORT
#
# Env: KGTUNE_HOME (default .kgtune), KGTUNE_PYTHON (default python3), MOTO_VERSION (default below).
# Exit codes: 0 ok; 3 the server could not be installed (no python/venv, or pip failed: the
# reason is the last line on stderr); 2 usage.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
home="${KGTUNE_HOME:-.kgtune}"
case "$home" in /*) ;; *) home="$root/$home" ;; esac
venv="$home/venv-s3"
py="${KGTUNE_PYTHON:-python3}"
version="${MOTO_VERSION:-5.1.22}"
stamp="$venv/.installed-moto-$version"

fail_install() {
  echo "s3-test-server: cannot install moto[server]==$version: $1" >&2
  exit 3
}

install() {
  [ -f "$stamp" ] && [ -x "$venv/bin/moto_server" ] && return 0
  command -v "$py" >/dev/null 2>&1 || fail_install "$py not found (install Python 3, or set KGTUNE_PYTHON)"
  mkdir -p "$home"
  if [ ! -x "$venv/bin/python" ]; then
    "$py" -m venv "$venv" >/dev/null 2>"$home/venv-s3.err" \
      || fail_install "python -m venv failed: $(tail -n 1 "$home/venv-s3.err") (apt-get install python3-venv)"
  fi
  echo "s3-test-server: pip install moto[server]==$version into $venv (one time) ..." >&2
  if ! "$venv/bin/python" -m pip install --disable-pip-version-check --quiet --retries 2 --timeout 30 \
      "moto[server]==$version" >"$home/venv-s3-pip.log" 2>&1; then
    line="$(grep -E '^ERROR:' "$home/venv-s3-pip.log" | tail -n 1 || true)"
    [ -n "$line" ] || line="$(tail -n 1 "$home/venv-s3-pip.log")"
    fail_install "pip failed: $line (see $home/venv-s3-pip.log)"
  fi
  [ -x "$venv/bin/moto_server" ] || fail_install "pip succeeded but $venv/bin/moto_server is missing"
  rm -f "$venv"/.installed-moto-*
  touch "$stamp"
}

case "${1:-}" in
  install)
    install
    ;;
  run)
    port="${2:-}"
    [[ "$port" =~ ^[0-9]+$ ]] || { echo "usage: $0 run PORT" >&2; exit 2; }
    install
    exec "$venv/bin/moto_server" -H 127.0.0.1 -p "$port"
    ;;
  *)
    echo "usage: $0 install | run PORT" >&2
    exit 2
    ;;
esac
