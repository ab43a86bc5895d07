#!/usr/bin/env bash
# Interop with the reference implementations (transformers + PEFT on torch CPU):
#  (a) a tiny random HF LLaMA (and Qwen2) gives the same logits in kgtune and transformers (≤ 1e-4)
#  (b) an adapter saved by kgtune loads in PEFT with the same logits
#  (c) an adapter saved by PEFT loads in kgtune with the same logits
# Installs torch (CPU use), transformers, peft, safetensors into .kgtune/venv on first run.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
VENV="$ROOT/.kgtune/venv"
WORK="${KGTUNE_INTEROP_DIR:-$ROOT/.kgtune/interop}"
PY_PKGS=(torch==2.5.1 transformers==4.46.3 peft==0.13.2 safetensors==0.4.5 numpy==2.1.3)

if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
fi
if ! "$VENV/bin/python" -c 'import torch, transformers, peft, safetensors' 2>/dev/null; then
  echo "interop: installing ${PY_PKGS[*]} into $VENV (torch wheels are large)"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "${PY_PKGS[@]}"
fi

rm -rf "$WORK" && mkdir -p "$WORK"
cd "$ROOT"
"$VENV/bin/python" scripts/interop/reference.py make "$WORK"
npx tsx scripts/interop/kgtune-side.ts "$WORK"
"$VENV/bin/python" scripts/interop/reference.py check "$WORK"
