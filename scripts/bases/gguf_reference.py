"""Reference side of the base-pull test: transformers' own GGUF loader vs kgtune's converted HF folder.

usage: gguf_reference.py <file.gguf> <converted HF folder> <out.json>
Writes the largest |logit| difference per prompt, token ids from both tokenizers, whether both chat
templates render the same text, and one prompt's ids and last-position logits (for kgtune's own forward).
"""
import json
import os
import sys

import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

gguf_path, hf_dir, out_path = sys.argv[1:4]
torch.manual_seed(0)
torch.set_num_threads(1)
gdir, gname = os.path.dirname(gguf_path), os.path.basename(gguf_path)

ref = AutoModelForCausalLM.from_pretrained(gdir, gguf_file=gname, torch_dtype=torch.float32).eval()
# transformers 4.46 leaves lm_head untied (random) for this GGUF although it has no output tensor
ref.lm_head.weight = ref.model.embed_tokens.weight
ours = AutoModelForCausalLM.from_pretrained(hf_dir, torch_dtype=torch.float32).eval()
ref_tok = AutoTokenizer.from_pretrained(gdir, gguf_file=gname)
our_tok = AutoTokenizer.from_pretrained(hf_dir)

TEXTS = [
    "What is the capital of France?",
    "The torque wrench must be calibrated every 5000 cycles.",
    "数控机床的主轴转速为每分钟一万二千转。",
    "Die Qualitätsprüfung erfolgt nach ISO 9001:2015.",
    "def add(a, b):\n    return a + b  # 🙂 tabs\tand   spaces",
    "Привет, мир! ¿Qué tal? 日本語のテキスト",
]
PROMPTS = TEXTS[:3]

tokenizer_rows = []
for t in TEXTS:
    tokenizer_rows.append({"text": t, "ref": ref_tok(t, add_special_tokens=False).input_ids, "ours": our_tok(t, add_special_tokens=False).input_ids})

messages = [{"role": "user", "content": "What is the capital of France?"}]
chat_ref = ref_tok.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
chat_ours = our_tok.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)

logit_rows = []
sample = None
with torch.no_grad():
    for p in PROMPTS:
        ids = our_tok(p, add_special_tokens=False).input_ids
        x = torch.tensor([ids])
        a = ref(x).logits[0]
        b = ours(x).logits[0]
        logit_rows.append({"prompt": p, "tokens": len(ids), "maxAbsDiff": float((a - b).abs().max()), "maxAbsLogit": float(a.abs().max())})
        if sample is None:
            sample = {"ids": ids, "lastLogits": b[-1].tolist()}
    chat_ids = our_tok(chat_ours, add_special_tokens=False).input_ids
    gen = ours.generate(torch.tensor([chat_ids]), max_new_tokens=12, do_sample=False)
    answer = our_tok.decode(gen[0][len(chat_ids):], skip_special_tokens=True)

json.dump({
    "logits": logit_rows,
    "tokenizer": tokenizer_rows,
    "chatTemplateEqual": chat_ref == chat_ours,
    "chat": chat_ours,
    "answer": answer,
    "sample": sample,
}, open(out_path, "w"))
