#!/usr/bin/env python3
"""nanoGPT-style sampling in PyTorch, the baseline of `sequor bench --json generate`.

A minimal nanoGPT-equivalent model (same modules and forward as nanoGPT's model.py, explicit causal
attention, tied head, bias=True, dropout 0) at nanoGPT's CPU size: n_embd 128, 4 layers, 4 heads,
block_size 64, vocabulary 65, random weights. Generation is nanoGPT's GPT.generate: no KV cache, every
new token re-runs the forward over the (cropped) context, samples with torch.multinomial at
temperature 1. Batch 1, a 1-token prompt, 63 tokens (filling the window) and 300 (sliding past it).

Prints one JSON object per line with the same fields as the Java bench plus "impl":"pytorch".
Run with Debian's torch:  /usr/bin/python3 bench/pytorch/generate.py [--seconds S]
"""
import argparse
import json
import math
import statistics
import time

import torch
import torch.nn as nn
from torch.nn import functional as F

N_EMBD, N_LAYER, N_HEAD, BLOCK, VOCAB = 128, 4, 4, 64, 65


class CausalSelfAttention(nn.Module):
    def __init__(self):
        super().__init__()
        self.c_attn = nn.Linear(N_EMBD, 3 * N_EMBD)
        self.c_proj = nn.Linear(N_EMBD, N_EMBD)
        self.register_buffer("bias", torch.tril(torch.ones(BLOCK, BLOCK)).view(1, 1, BLOCK, BLOCK))

    def forward(self, x):
        B, T, C = x.size()
        q, k, v = self.c_attn(x).split(N_EMBD, dim=2)
        k = k.view(B, T, N_HEAD, C // N_HEAD).transpose(1, 2)
        q = q.view(B, T, N_HEAD, C // N_HEAD).transpose(1, 2)
        v = v.view(B, T, N_HEAD, C // N_HEAD).transpose(1, 2)
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(k.size(-1)))
        att = att.masked_fill(self.bias[:, :, :T, :T] == 0, float("-inf"))
        att = F.softmax(att, dim=-1)
        y = att @ v
        y = y.transpose(1, 2).contiguous().view(B, T, C)
        return self.c_proj(y)


class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.c_fc = nn.Linear(N_EMBD, 4 * N_EMBD)
        self.c_proj = nn.Linear(4 * N_EMBD, N_EMBD)

    def forward(self, x):
        return self.c_proj(F.gelu(self.c_fc(x)))


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.ln_1 = nn.LayerNorm(N_EMBD)
        self.attn = CausalSelfAttention()
        self.ln_2 = nn.LayerNorm(N_EMBD)
        self.mlp = MLP()

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        return x + self.mlp(self.ln_2(x))


class GPT(nn.Module):
    def __init__(self):
        super().__init__()
        self.transformer = nn.ModuleDict(dict(
            wte=nn.Embedding(VOCAB, N_EMBD), wpe=nn.Embedding(BLOCK, N_EMBD),
            h=nn.ModuleList([Block() for _ in range(N_LAYER)]), ln_f=nn.LayerNorm(N_EMBD)))
        self.lm_head = nn.Linear(N_EMBD, VOCAB, bias=False)
        self.transformer.wte.weight = self.lm_head.weight
        self.apply(self._init_weights)
        for pn, p in self.named_parameters():
            if pn.endswith("c_proj.weight"):
                torch.nn.init.normal_(p, mean=0.0, std=0.02 / math.sqrt(2 * N_LAYER))

    def _init_weights(self, module):
        if isinstance(module, nn.Linear):
            torch.nn.init.normal_(module.weight, mean=0.0, std=0.02)
            if module.bias is not None:
                torch.nn.init.zeros_(module.bias)
        elif isinstance(module, nn.Embedding):
            torch.nn.init.normal_(module.weight, mean=0.0, std=0.02)

    def forward(self, idx):
        b, t = idx.size()
        pos = torch.arange(0, t, dtype=torch.long)
        x = self.transformer.wte(idx) + self.transformer.wpe(pos)
        for block in self.transformer.h:
            x = block(x)
        x = self.transformer.ln_f(x)
        return self.lm_head(x[:, [-1], :])  # inference: only the last position, as nanoGPT

    @torch.no_grad()
    def generate(self, idx, max_new_tokens, temperature=1.0):
        for _ in range(max_new_tokens):
            idx_cond = idx if idx.size(1) <= BLOCK else idx[:, -BLOCK:]
            logits = self(idx_cond)
            logits = logits[:, -1, :] / temperature
            probs = F.softmax(logits, dim=-1)
            idx_next = torch.multinomial(probs, num_samples=1)
            idx = torch.cat((idx, idx_next), dim=1)
        return idx


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=4.0, help="measuring budget per length")
    args = ap.parse_args()
    torch.manual_seed(1337)
    model = GPT().eval()
    prompt = torch.zeros((1, 1), dtype=torch.long)
    for _ in range(2):
        model.generate(prompt, 300)  # warm-up
    for tokens in (63, 300):
        rates = []
        start = time.perf_counter()
        while len(rates) < 3 or (time.perf_counter() - start < args.seconds and len(rates) < 25):
            t0 = time.perf_counter()
            model.generate(prompt, tokens)
            rates.append(tokens / (time.perf_counter() - t0))
        print(json.dumps({"bench": "generate", "arch": "gpt", "d_model": N_EMBD, "layers": N_LAYER,
                          "heads": N_HEAD, "context": BLOCK, "tokens": tokens,
                          "tokens_per_s": round(statistics.median(rates), 1), "impl": "pytorch"},
                         separators=(",", ":")), flush=True)


if __name__ == "__main__":
    main()
