"""Reference side of the kgtune interop check (transformers + PEFT, torch on CPU, float32).

make  <dir>: for each architecture a tiny random checkpoint (base/), its logits, a PEFT-saved
             adapter (peft_adapter/) and its logits; kinds.json lists them.
check <dir>: load the adapter kgtune saved (kgtune_adapter/) into PEFT and compare logits with
             kgtune's; prints one JSON line {kind: max |Δlogit|}.
"""
import json
import os
import sys

import torch
from peft import LoraConfig, PeftModel, get_peft_model
from transformers import (LlamaConfig, LlamaForCausalLM, MistralConfig, MistralForCausalLM, Qwen2Config,
                          Qwen2ForCausalLM, Qwen3Config, Qwen3ForCausalLM)

IDS = [[1, 5, 9, 13, 2, 7, 30, 41, 17, 8, 63, 0], [3, 3, 8, 60, 12, 0, 4, 22, 22, 9, 1, 50]]
TARGETS = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]
COMMON = dict(vocab_size=64, hidden_size=32, intermediate_size=64, num_hidden_layers=2, num_attention_heads=4,
              num_key_value_heads=2, max_position_embeddings=64, rms_norm_eps=1e-6, initializer_range=0.2)


def kinds():
    return {
        # untied embeddings, plain RoPE
        "llama": (LlamaForCausalLM, LlamaConfig(**COMMON, rope_theta=10000.0, tie_word_embeddings=False, attention_bias=False)),
        # Llama 3.x: rope_scaling llama3 (head_dim 8: one kept, one interpolated, two divided frequencies), tied
        "llama3": (LlamaForCausalLM, LlamaConfig(**{**COMMON, "max_position_embeddings": 512}, rope_theta=10000.0, tie_word_embeddings=True, rope_scaling={
            "rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
            "original_max_position_embeddings": 64})),
        # sliding window 4 < sequence length 12: the window is exercised
        "mistral": (MistralForCausalLM, MistralConfig(**COMMON, rope_theta=10000.0, tie_word_embeddings=False, sliding_window=4)),
        # q/k/v bias, tied
        "qwen2": (Qwen2ForCausalLM, Qwen2Config(**COMMON, rope_theta=1000000.0, tie_word_embeddings=True, use_sliding_window=False)),
        # q_norm/k_norm per head, explicit head_dim different from hidden/heads, untied
        "qwen3": (Qwen3ForCausalLM, Qwen3Config(**COMMON, head_dim=16, rope_theta=1000000.0, tie_word_embeddings=False,
                                               use_sliding_window=False, attention_bias=False)),
    }


def load(cls, path):
    return cls.from_pretrained(path, torch_dtype=torch.float32, attn_implementation="eager").eval()


def logits_of(model):
    with torch.no_grad():
        return model(torch.tensor(IDS)).logits.float().tolist()


def dump(path, value):
    with open(path, "w") as f:
        json.dump(value, f)


def make(root):
    torch.manual_seed(0)
    for kind, (cls, cfg) in kinds().items():
        d = os.path.join(root, kind)
        os.makedirs(d, exist_ok=True)
        cfg._attn_implementation = "eager"
        model = cls(cfg).eval()
        with torch.no_grad():
            for name, p in model.named_parameters():
                if "norm" in name:
                    p.uniform_(0.5, 1.5)
                elif name.endswith(".bias"):
                    p.normal_(0, 0.2)
        model.save_pretrained(os.path.join(d, "base"), safe_serialization=True)
        model = load(cls, os.path.join(d, "base"))  # logits of the saved files, as kgtune reads them
        dump(os.path.join(d, "base_logits.json"), logits_of(model))
        peft_cfg = LoraConfig(r=4, lora_alpha=8, target_modules=TARGETS, lora_dropout=0.0, use_rslora=(kind == "qwen2"))
        pm = get_peft_model(model, peft_cfg).eval()
        with torch.no_grad():
            for name, p in pm.named_parameters():
                if "lora_B" in name:
                    p.normal_(0, 0.2)
        pm.save_pretrained(os.path.join(d, "peft_adapter"))
        dump(os.path.join(d, "peft_logits.json"), logits_of(pm))
    dump(os.path.join(root, "ids.json"), IDS)
    dump(os.path.join(root, "kinds.json"), list(kinds().keys()))


def check(root):
    out = {}
    for kind, (cls, _cfg) in kinds().items():
        d = os.path.join(root, kind)
        pm = PeftModel.from_pretrained(load(cls, os.path.join(d, "base")), os.path.join(d, "kgtune_adapter")).eval()
        with open(os.path.join(d, "kgtune_adapter_logits.json")) as f:
            theirs = torch.tensor(json.load(f))
        out[kind] = (torch.tensor(logits_of(pm)) - theirs).abs().max().item()
    print(json.dumps(out))


if __name__ == "__main__":
    {"make": make, "check": check}[sys.argv[1]](sys.argv[2])
