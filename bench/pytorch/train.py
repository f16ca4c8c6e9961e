#!/usr/bin/env python3
"""PyTorch baselines for Sequor's training targets (run with a Python that has torch; not in CI).

  train.py throughput [--threads N]
      training tokens/s of the two `sequor bench --json train` configurations:
      2-layer LSTM(512), embedding 512, vocabulary 65, batch 32, seq 64, Adam; and the nanoGPT CPU
      recipe's model (d_model 128, 4 layers, 4 heads, context 64, batch 12, AdamW).
  train.py recipe DATA [--steps 2000] [--threads N] [--export OUT.safetensors]
      nanoGPT's shakespeare_char recipe at its CPU size on DATA (Tiny Shakespeare): lr 1e-3, 100
      warm-up steps, cosine to 1e-4, AdamW (0.9, 0.99), weight decay 0.1 on matrices, clip 1.0, no
      dropout, no bias, tied embeddings. Reports the training time (evaluation excluded) and the
      loss on the whole validation split with `sequor eval`'s block semantics — the numbers that
      `sequor train --arch gpt --layers 4 --heads 4 --d-model 128 --context 64 --batch 12
      --steps 2000 --lr 1e-3 --dropout 0` is compared with. --export writes the trained model as
      a Sequor checkpoint (then `sequor eval` on the validation text should print the same loss).
Output: one JSON object per line.
"""
import argparse
import json
import math
import os
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools"))
import export_pytorch as sx  # noqa: E402  (the models and the checkpoint writer)


def timed_steps(model, opt, batch, seq, vocab, steps, warmup, recurrent):
    g = torch.Generator().manual_seed(0)
    x = torch.randint(vocab, (batch, seq), generator=g)
    y = torch.randint(vocab, (batch, seq), generator=g)
    times = []
    for i in range(warmup + steps):
        t0 = time.perf_counter()
        logits = model(x)[0] if recurrent else model(x)
        loss = F.cross_entropy(logits.reshape(-1, vocab), y.reshape(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        if i >= warmup:
            times.append(time.perf_counter() - t0)
    times.sort()
    return batch * seq / times[len(times) // 2]


def adamw(model, lr, wd=0.1, betas=(0.9, 0.99)):
    decay = [p for p in model.parameters() if p.dim() >= 2]
    other = [p for p in model.parameters() if p.dim() < 2]
    return torch.optim.AdamW([{"params": decay, "weight_decay": wd}, {"params": other, "weight_decay": 0.0}], lr=lr, betas=betas)


def throughput(args):
    torch.manual_seed(0)
    lstm = sx.CharRNN("lstm", 65, 512, 512, 2)
    tps = timed_steps(lstm, torch.optim.Adam(lstm.parameters(), lr=2e-3), 32, 64, 65, args.steps, 2, True)
    print(json.dumps({"bench": "train", "impl": "pytorch", "arch": "lstm", "hidden": 512, "layers": 2, "batch": 32, "seq": 64,
                      "threads": torch.get_num_threads(), "tokens_per_s": round(tps)}), flush=True)
    gpt = sx.GPT(65, 128, 4, 4, 64, bias=False, tied=True)
    tps = timed_steps(gpt, adamw(gpt, 1e-3), 12, 64, 65, args.steps * 4, 5, False)
    print(json.dumps({"bench": "train", "impl": "pytorch", "arch": "gpt", "d_model": 128, "layers": 4, "heads": 4, "context": 64,
                      "batch": 12, "threads": torch.get_num_threads(), "tokens_per_s": round(tps)}), flush=True)


def get_lr(it, lr, min_lr, warmup, steps):  # nanoGPT's
    if it < warmup:
        return lr * (it + 1) / (warmup + 1)
    if it > steps:
        return min_lr
    ratio = (it - warmup) / (steps - warmup)
    return min_lr + 0.5 * (1.0 + math.cos(math.pi * ratio)) * (lr - min_lr)


def recipe(args):
    text = open(args.data, encoding="utf-8").read()
    vocab = "".join(sorted(set(text)))
    stoi = {c: i for i, c in enumerate(vocab)}
    data = torch.tensor([stoi[c] for c in text], dtype=torch.long)
    n = int(len(data) * 0.9)
    train, val = data[:n], data[n:]
    torch.manual_seed(1337)
    batch, ctx, steps = 12, 64, args.steps
    model = sx.GPT(len(vocab), 128, 4, 4, ctx, bias=False, tied=True)
    opt = adamw(model, 1e-3)
    model.train()
    t_train = 0.0
    for it in range(steps):
        t0 = time.perf_counter()
        for gr in opt.param_groups:
            gr["lr"] = get_lr(it, 1e-3, 1e-4, 100, steps)
        ix = torch.randint(len(train) - ctx, (batch,))
        x = torch.stack([train[i:i + ctx] for i in ix])
        y = torch.stack([train[i + 1:i + 1 + ctx] for i in ix])
        logits = model(x)
        loss = F.cross_entropy(logits.reshape(-1, len(vocab)), y.reshape(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        t_train += time.perf_counter() - t0
        if (it + 1) % 250 == 0:
            print(f"step {it + 1}/{steps} loss {loss.item():.4f} {t_train:.1f}s", file=sys.stderr, flush=True)
    model.eval()
    total, count = sx.evaluate(model, val.tolist())
    print(json.dumps({"bench": "train_recipe", "impl": "pytorch", "arch": "gpt", "steps": steps, "threads": torch.get_num_threads(),
                      "train_seconds": round(t_train, 1), "val_loss": round(total / count, 4), "val_chars": count}), flush=True)
    if args.export:
        sx.write_safetensors(args.export, model.sequor_state_dict(), {"arch": "gpt", "vocab": vocab, "config": json.dumps(
            {"d_model": 128, "heads": 4, "layers": 4, "context": ctx, "bias": False, "tied": True})})


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("mode", choices=["throughput", "recipe"])
    p.add_argument("data", nargs="?")
    p.add_argument("--threads", type=int, default=os.cpu_count())
    p.add_argument("--steps", type=int, default=None)
    p.add_argument("--export", default=None)
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    if args.mode == "throughput":
        args.steps = args.steps or 10
        throughput(args)
    else:
        if not args.data:
            p.error("recipe needs DATA (e.g. tinyshakespeare.txt)")
        args.steps = args.steps or 2000
        recipe(args)


if __name__ == "__main__":
    main()
