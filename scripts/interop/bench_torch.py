"""PyTorch (+PEFT) peer of bench/train.ts: the same LLaMA configs, batch and sequence length, on CPU.

argv[1]: JSON {"T", "threads", "modes" (default ["lora", "full"]), "configs": [{"key", "B", "steps", "hf": {HF config.json fields}}]}.
Prints one JSON line: {"peakGflops": best matmul 512³ at `threads`, "rows": [{config, impl, mode, tokensPerSec, msPerStep,
params, trainable, peakRssMb}]}; peakRssMb is this process's peak resident set (meaningful when it ran one config).
"""
import json
import resource
import sys
import time

import torch
from peft import LoraConfig, get_peft_model
from transformers import LlamaConfig, LlamaForCausalLM

spec = json.loads(sys.argv[1])
T = spec["T"]
torch.set_num_threads(spec["threads"])
torch.manual_seed(0)

n = 512
a, b = torch.randn(n, n), torch.randn(n, n)
a @ b
peak = 0.0
for _ in range(5):  # best of 5 trials, as bench/train.ts does for tfjs
    t0 = time.perf_counter()
    for _ in range(4):
        a @ b
    peak = max(peak, 4 * 2 * n**3 / (time.perf_counter() - t0) / 1e9)

DIMS = ("vocab_size", "hidden_size", "intermediate_size", "num_hidden_layers", "num_attention_heads", "num_key_value_heads",
        "max_position_embeddings", "tie_word_embeddings", "rms_norm_eps", "rope_theta", "attention_bias", "head_dim")
rows = []
for c in spec["configs"]:
    B = c["B"]
    for mode in spec.get("modes", ["lora", "full"]):
        model = LlamaForCausalLM(LlamaConfig(**{k: c["hf"][k] for k in DIMS if k in c["hf"]}))
        if mode == "lora":
            model = get_peft_model(model, LoraConfig(r=8, lora_alpha=16, lora_dropout=0.05,
                                                     target_modules=["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]))
        model.train()
        opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=1e-4)
        ids = torch.randint(6, c["hf"]["vocab_size"], (B, T + 1))
        times = []
        cpus = []  # process CPU time per step (all threads): little moved by other jobs, unlike wall time
        for _ in range(c["steps"]):
            t0 = time.perf_counter()
            c0 = time.process_time()
            out = model(input_ids=ids[:, :T], labels=ids[:, :T])
            out.loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            opt.zero_grad()
            times.append(time.perf_counter() - t0)
            cpus.append(time.process_time() - c0)
        ms = sum(times[1:]) / (len(times) - 1) * 1000
        rows.append({"config": c["key"], "impl": "torch-cpu", "mode": mode, "tokensPerSec": B * T / (ms / 1000), "msPerStep": ms, "cpuMsPerStep": sum(cpus[1:]) / (len(cpus) - 1) * 1000,
                     "params": sum(p.numel() for p in model.parameters() if not p.requires_grad) if mode == "lora" else sum(p.numel() for p in model.parameters()),
                     "trainable": sum(p.numel() for p in model.parameters() if p.requires_grad),
                     "peakRssMb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024})
print(json.dumps({"peakGflops": peak, "rows": rows}))
