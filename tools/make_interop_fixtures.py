#!/usr/bin/env python3
"""Writes src/test/resources/dev/sequor/interop/: one small PyTorch model per architecture, exported
as a Sequor checkpoint (tools/export_pytorch.py), a short text, and PyTorch's evaluation of each
model on it with `sequor eval`'s semantics (expected.json). Sequor's tests load the checkpoints and
must reproduce the losses. Run with a Python that has torch: /usr/bin/python3 tools/make_interop_fixtures.py
"""
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import export_pytorch as sx  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "test", "resources", "dev", "sequor", "interop")

TEXT = ("First Citizen:\nBefore we proceed any further, hear me speak.\n\nAll:\nSpeak, speak.\n\n"
        "First Citizen:\nYou are all resolved rather to die than to famish?\n\nAll:\nResolved. resolved.\n\n"
        "First Citizen:\nFirst, you know Caius Marcius is chief enemy to the people.\n")


def main():
    os.makedirs(OUT, exist_ok=True)
    vocab = "".join(sorted(set(TEXT)))
    tokens = [vocab.index(c) for c in TEXT]
    torch.manual_seed(1234)  # the models below initialise from it
    with open(os.path.join(OUT, "text.txt"), "w", encoding="utf-8") as f:
        f.write(TEXT)
    expected = {}
    models = {
        "rnn": (sx.CharRNN("rnn", len(vocab), 8, 12, 2, nonlinearity="relu"), {"embed": 8, "hidden": 12, "layers": 2, "nonlinearity": "relu"}),
        "gru": (sx.CharRNN("gru", len(vocab), 8, 12, 2), {"embed": 8, "hidden": 12, "layers": 2}),
        "lstm": (sx.CharRNN("lstm", len(vocab), 8, 12, 2), {"embed": 8, "hidden": 12, "layers": 2}),
        "gpt": (sx.GPT(len(vocab), 16, 2, 2, 16, bias=True, tied=False),
                {"d_model": 16, "heads": 2, "layers": 2, "context": 16, "bias": True, "tied": False}),
        "gpt_tied": (sx.GPT(len(vocab), 16, 4, 1, 16, bias=False, tied=True),
                     {"d_model": 16, "heads": 4, "layers": 1, "context": 16, "bias": False, "tied": True}),
    }
    for index, (name, (model, config)) in enumerate(models.items()):
        train(model, tokens, len(vocab), seed=index)
        model.eval()
        arch = "gpt" if name.startswith("gpt") else name
        sd = model.sequor_state_dict() if arch == "gpt" else model.state_dict()
        sx.write_safetensors(os.path.join(OUT, name + ".safetensors"), sd, {"arch": arch, "vocab": vocab, "config": json.dumps(config)})
        total, n = sx.evaluate(model, tokens)
        expected[name] = {"loss": total / n, "chars": n}
        # greedy continuation of the first 5 characters, 20 characters long
        expected[name]["greedy"] = greedy(model, tokens[:5], 20, vocab)
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1)
        f.write("\n")
    print(json.dumps(expected, indent=1))


def train(model, tokens, v, seed, steps=150, t=16):
    """A short fit to the text, so that the fixtures' predictions are far from uniform."""
    torch.manual_seed(seed)
    data = torch.tensor(tokens)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-2)
    for _ in range(steps):
        ix = torch.randint(len(data) - t - 1, (8,))
        x = torch.stack([data[i:i + t] for i in ix])
        y = torch.stack([data[i + 1:i + t + 1] for i in ix])
        logits = model(x) if isinstance(model, sx.GPT) else model(x)[0]
        loss = torch.nn.functional.cross_entropy(logits.reshape(-1, v), y.reshape(-1))
        opt.zero_grad()
        loss.backward()
        opt.step()


@torch.no_grad()
def greedy(model, prompt, n, vocab):
    seq = list(prompt)
    for _ in range(n):
        if isinstance(model, sx.GPT):
            ctx = torch.tensor([seq[-model.context:]])
            logits = model(ctx)[0, -1]
        else:
            logits = model(torch.tensor([seq]))[0][0, -1]
        seq.append(int(torch.argmax(logits)))
    return "".join(vocab[t] for t in seq[len(prompt):])


if __name__ == "__main__":
    main()
