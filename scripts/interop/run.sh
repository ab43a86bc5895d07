#!/usr/bin/env bash
# Interop with the reference implementations (transformers + PEFT on torch CPU), for LLaMA (untied),
# Llama 3.x (rope_scaling llama3, tied), Mistral (sliding window), Qwen2 (q/k/v bias), Qwen3 (q/k norm):
#  (a) a tiny random HF model gives the same logits in kgtune and transformers (≤ 1e-4)
#  (b) an adapter saved by kgtune loads in PEFT with the same logits
#  (c) an adapter saved by PEFT loads in kgtune with the same logits
# The same check runs in `npm test` (test/interop/interop.test.ts). Venv: <KGTUNE_HOME>/venv, pins in
# scripts/interop/requirements.txt, installed on first use.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
HOME_DIR="${KGTUNE_HOME:-$ROOT/.kgtune}"
WORK="${KGTUNE_INTEROP_DIR:-$HOME_DIR/interop}"
cd "$ROOT"
PY="$(npx tsx -e "import { ensureInteropVenv } from './scripts/interop/venv.ts'; console.log(ensureInteropVenv('$HOME_DIR', console.error))")"
rm -rf "$WORK" && mkdir -p "$WORK"
"$PY" scripts/interop/reference.py make "$WORK"
npx tsx scripts/interop/kgtune-side.ts "$WORK"
"$PY" scripts/interop/reference.py check "$WORK"
