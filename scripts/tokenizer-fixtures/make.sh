#!/usr/bin/env bash
# Regenerates test/fixtures/tokenizer/{builtin,smollm2-style}/ and ids-*.json: the reference ids of
# HF `tokenizers` 0.21.1 and chat renderings of transformers 4.51.3 (the interop venv, .kgtune/venv,
# set up by test/integration/interop.test.ts or scripts/interop/run.sh).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
FIX="$ROOT/test/fixtures/tokenizer"
cd "$ROOT"
npx tsx scripts/tokenizer-fixtures/make-builtin.ts "$FIX"
"$ROOT/.kgtune/venv/bin/python" scripts/tokenizer-fixtures/reference.py "$FIX" "$ROOT"
