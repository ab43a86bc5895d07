"""PyTorch (+PEFT) peer of bench/train.ts: same tiny LLaMA config, batch and sequence length, on CPU."""
import json
import sys
import time

import torch
from peft import LoraConfig, get_peft_model
from transformers import LlamaConfig, LlamaForCausalLM

B, T, VOCAB, STEPS = (int(x) for x in sys.argv[1:5])
torch.manual_seed(0)
rows = []
for mode in ("lora", "full"):
    cfg = LlamaConfig(vocab_size=VOCAB, hidden_size=128, intermediate_size=352, num_hidden_layers=4, num_attention_heads=4,
                      num_key_value_heads=2, max_position_embeddings=512, tie_word_embeddings=True, rms_norm_eps=1e-5)
    model = LlamaForCausalLM(cfg)
    if mode == "lora":
        model = get_peft_model(model, LoraConfig(r=8, lora_alpha=16, lora_dropout=0.05,
                                                 target_modules=["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]))
    model.train()
    opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=1e-4)
    ids = torch.randint(6, VOCAB, (B, T + 1))
    times = []
    for _ in range(STEPS):
        t0 = time.perf_counter()
        out = model(input_ids=ids[:, :T], labels=ids[:, :T])
        out.loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        opt.zero_grad()
        times.append(time.perf_counter() - t0)
    ms = sum(times[1:]) / (len(times) - 1) * 1000
    rows.append({"impl": "torch-cpu", "mode": mode, "tokensPerSec": B * T / (ms / 1000), "msPerStep": ms})
print(json.dumps(rows))
