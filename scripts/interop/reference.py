"""Reference side of the kgtune interop check (transformers + PEFT, torch on CPU, float32).

make  <dir>: tiny random LLaMA and Qwen2 checkpoints, their logits, and a PEFT-saved adapter + logits.
check <dir>: load the adapter kgtune saved into PEFT and compare logits with kgtune's.
"""
import json
import os
import sys

import torch
from peft import LoraConfig, PeftModel, get_peft_model
from transformers import LlamaConfig, LlamaForCausalLM, Qwen2Config, Qwen2ForCausalLM

IDS = [[1, 5, 9, 13, 2, 7, 30, 41], [3, 3, 8, 60, 12, 0, 4, 22]]
TOL = 1e-4
TARGETS = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]
COMMON = dict(vocab_size=64, hidden_size=32, intermediate_size=64, num_hidden_layers=2, num_attention_heads=4,
              num_key_value_heads=2, max_position_embeddings=64, rms_norm_eps=1e-6, initializer_range=0.2)


def kinds():
    return {
        "llama": (LlamaForCausalLM, LlamaConfig(**COMMON, rope_theta=10000.0, tie_word_embeddings=False, attention_bias=False)),
        "qwen2": (Qwen2ForCausalLM, Qwen2Config(**COMMON, rope_theta=1000000.0, tie_word_embeddings=True, use_sliding_window=False)),
    }


def logits_of(model):
    with torch.no_grad():
        return model(torch.tensor(IDS)).logits.float().tolist()


def dump(path, value):
    with open(path, "w") as f:
        json.dump(value, f)


def max_diff(a, b):
    ta, tb = torch.tensor(a), torch.tensor(b)
    return (ta - tb).abs().max().item()


TOKENIZER_TEXTS = [
    "The quick brown fox jumps over the lazy dog. It's 2024, isn't it? We'll see.",
    "星河科技的总部在苏州，创始人是林晓雨。公司成立于2016年，主要产品是工业视觉检测系统。",
    "Mixed 中英文 text with numbers 12345 and   spaces\n\nnew lines\tand tabs. Ünïcödé café!",
    "def f(x):\n    return x ** 2  # comment\n",
]
QWEN_PATTERN = r"""(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"""


def make_tokenizers(root):
    from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, trainers

    corpus = TOKENIZER_TEXTS * 20
    variants = {
        "gpt2": (models.BPE(), None, pre_tokenizers.ByteLevel(add_prefix_space=False)),
        "qwen2": (models.BPE(), normalizers.NFC(), pre_tokenizers.Sequence([
            pre_tokenizers.Split(Regex(QWEN_PATTERN), behavior="isolated", invert=False),
            pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False)])),
        "llama3": (models.BPE(ignore_merges=True), None, pre_tokenizers.Sequence([
            pre_tokenizers.Split(Regex(QWEN_PATTERN.replace(r"\p{N}|", r"\p{N}{1,3}|")), behavior="isolated", invert=False),
            pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False)])),
    }
    out = {}
    for name, (model, norm, pre) in variants.items():
        tok = Tokenizer(model)
        if norm is not None:
            tok.normalizer = norm
        tok.pre_tokenizer = pre
        tok.decoder = decoders.ByteLevel()
        trainer = trainers.BpeTrainer(vocab_size=600, special_tokens=["<|endoftext|>", "<|im_start|>"],
                                      initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
        tok.train_from_iterator(corpus, trainer)
        path = os.path.join(root, f"tokenizer-{name}.json")
        tok.save(path)
        probe = TOKENIZER_TEXTS + ["<|im_start|>user\n你好 unseen 龘 😀<|endoftext|>"]
        out[name] = [{"text": t, "ids": tok.encode(t).ids} for t in probe]
    dump(os.path.join(root, "tokenizer_cases.json"), out)


def make(root):
    make_tokenizers(root)
    torch.manual_seed(0)
    for kind, (cls, cfg) in kinds().items():
        d = os.path.join(root, kind)
        os.makedirs(d, exist_ok=True)
        model = cls(cfg).eval()
        with torch.no_grad():
            for name, p in model.named_parameters():
                if "norm" in name:
                    p.uniform_(0.5, 1.5)
                elif name.endswith(".bias"):
                    p.normal_(0, 0.2)
        model.save_pretrained(os.path.join(d, "base"), safe_serialization=True)
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
    print("reference: wrote tiny llama/qwen2 checkpoints, logits and PEFT adapters")


def check(root):
    ok = True
    for kind, (cls, _cfg) in kinds().items():
        d = os.path.join(root, kind)
        base = cls.from_pretrained(os.path.join(d, "base"), torch_dtype=torch.float32).eval()
        pm = PeftModel.from_pretrained(base, os.path.join(d, "kgtune_adapter")).eval()
        with open(os.path.join(d, "kgtune_adapter_logits.json")) as f:
            theirs = json.load(f)
        diff = max_diff(logits_of(pm), theirs)
        passed = diff <= TOL
        ok = ok and passed
        print(f"(b) {kind}: kgtune adapter in PEFT, max |Δlogit| = {diff:.2e} {'PASS' if passed else 'FAIL'}")
    if not ok:
        sys.exit(1)


if __name__ == "__main__":
    {"make": make, "check": check}[sys.argv[1]](sys.argv[2])
