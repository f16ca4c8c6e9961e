#!/usr/bin/env python3
"""Move character-level models between PyTorch and Sequor's checkpoint format.

A Sequor checkpoint is a safetensors file: 8-byte little-endian header length N, N bytes of JSON
header, raw little-endian tensor data. The header's "__metadata__" holds three strings:
  "arch"   "rnn" | "gru" | "lstm" | "gpt"
  "vocab"  the vocabulary as one string: token i is its i-th code point
  "config" JSON: {"embed":E,"hidden":H,"layers":L} (+ "nonlinearity" for rnn), or
           {"d_model":C,"heads":NH,"layers":L,"context":T,"bias":b,"tied":t} for gpt
The tensors are the PyTorch state_dict of the model below (CharRNN) or of nanoGPT's GPT, with
lm_head.weight left out when tied. No `safetensors` package needed: the format is written and
read with struct/json and torch.frombuffer.

Commands (run with a Python that has torch):
  export_pytorch.py nanogpt CKPT.pt META.pkl OUT.safetensors   nanoGPT shakespeare_char -> Sequor
  export_pytorch.py eval FILE.safetensors TEXT                   PyTorch's loss with `sequor eval`'s semantics
  export_pytorch.py demo ARCH OUT.safetensors TEXT               train a tiny PyTorch model briefly, export it

The few lines that matter, for your own model `model` (CharRNN below, or nanoGPT's GPT) and its
vocabulary string `vocab`:

    sd = {k: v for k, v in model.state_dict().items()}
    write_safetensors(path, sd, {"arch": "lstm", "vocab": vocab,
                                 "config": json.dumps({"embed": 64, "hidden": 256, "layers": 2})})

and back:  meta, sd = read_safetensors(path);  model.load_state_dict(sd)
"""
import json
import math
import pickle
import struct
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F


# ---- the file format ----

def write_safetensors(path, tensors, metadata):
    """tensors: name -> float tensor (written as F32); metadata: str -> str."""
    header = {"__metadata__": metadata}
    blobs, offset = [], 0
    for name, t in tensors.items():
        data = t.detach().to(torch.float32).contiguous().cpu().numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    h = json.dumps(header, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    h += b" " * (-len(h) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)


def read_safetensors(path):
    """-> (metadata dict, state dict of float32 tensors); reads F32 and BF16."""
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n].decode("utf-8"))
    meta = header.pop("__metadata__", {})
    data = bytearray(raw[8 + n:])
    sd = {}
    for name, e in header.items():
        b, end = e["data_offsets"]
        if e["dtype"] == "F32":
            t = torch.frombuffer(data[b:end], dtype=torch.float32) if end > b else torch.zeros(0)
        elif e["dtype"] == "BF16":
            t = torch.frombuffer(data[b:end], dtype=torch.bfloat16).to(torch.float32)
        else:
            raise ValueError(f"{path}: tensor {name}: dtype {e['dtype']} not supported")
        sd[name] = t.reshape(e["shape"]).clone()
    return meta, sd


# ---- the models ----

class CharRNN(nn.Module):
    """embed -> nn.RNN/GRU/LSTM (batch_first) -> head: exactly Sequor's rnn/gru/lstm tensor names."""

    def __init__(self, arch, vocab_size, embed, hidden, layers, nonlinearity="tanh", dropout=0.0):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, embed)
        if arch == "rnn":
            self.rnn = nn.RNN(embed, hidden, layers, nonlinearity=nonlinearity, batch_first=True, dropout=dropout)
        else:
            cell = {"gru": nn.GRU, "lstm": nn.LSTM}[arch]
            self.rnn = cell(embed, hidden, layers, batch_first=True, dropout=dropout)
        self.head = nn.Linear(hidden, vocab_size)

    def forward(self, idx, state=None):
        y, state = self.rnn(self.embed(idx), state)
        return self.head(y), state


class LayerNorm(nn.Module):
    def __init__(self, n, bias):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(n))
        self.bias = nn.Parameter(torch.zeros(n)) if bias else None

    def forward(self, x):
        return F.layer_norm(x, self.weight.shape, self.weight, self.bias, 1e-5)


class Block(nn.Module):
    def __init__(self, c, nh, bias, dropout):
        super().__init__()
        self.nh = nh
        self.ln_1 = LayerNorm(c, bias)
        self.attn = nn.Module()
        self.attn.c_attn = nn.Linear(c, 3 * c, bias=bias)
        self.attn.c_proj = nn.Linear(c, c, bias=bias)
        self.ln_2 = LayerNorm(c, bias)
        self.mlp = nn.Module()
        self.mlp.c_fc = nn.Linear(c, 4 * c, bias=bias)
        self.mlp.c_proj = nn.Linear(4 * c, c, bias=bias)
        self.drop = nn.Dropout(dropout)

    def forward(self, x):
        b, t, c = x.shape
        q, k, v = self.attn.c_attn(self.ln_1(x)).split(c, dim=2)
        q, k, v = (z.view(b, t, self.nh, c // self.nh).transpose(1, 2) for z in (q, k, v))
        att = (q @ k.transpose(-2, -1)) / math.sqrt(k.size(-1))
        att = att.masked_fill(torch.ones(t, t, dtype=torch.bool).triu(1), float("-inf"))
        y = (self.drop(F.softmax(att, dim=-1)) @ v).transpose(1, 2).contiguous().view(b, t, c)
        x = x + self.drop(self.attn.c_proj(y))
        return x + self.drop(self.mlp.c_proj(F.gelu(self.mlp.c_fc(self.ln_2(x)))))


class GPT(nn.Module):
    """nanoGPT's model, parameter for parameter (names, shapes, init, tying)."""

    def __init__(self, vocab_size, d_model, heads, layers, context, bias=False, tied=True, dropout=0.0):
        super().__init__()
        self.context = context
        self.transformer = nn.ModuleDict(dict(
            wte=nn.Embedding(vocab_size, d_model),
            wpe=nn.Embedding(context, d_model),
            drop=nn.Dropout(dropout),
            h=nn.ModuleList([Block(d_model, heads, bias, dropout) for _ in range(layers)]),
            ln_f=LayerNorm(d_model, bias)))
        self.lm_head = nn.Linear(d_model, vocab_size, bias=False)
        self.tied = tied
        if tied:
            self.transformer.wte.weight = self.lm_head.weight
        self.apply(self._init)
        for n, p in self.named_parameters():
            if n.endswith("c_proj.weight"):
                nn.init.normal_(p, 0.0, 0.02 / math.sqrt(2 * layers))

    @staticmethod
    def _init(m):
        if isinstance(m, (nn.Linear, nn.Embedding)):
            nn.init.normal_(m.weight, 0.0, 0.02)
        if isinstance(m, nn.Linear) and m.bias is not None:
            nn.init.zeros_(m.bias)

    def forward(self, idx):
        t = idx.size(1)
        x = self.transformer.wte(idx) + self.transformer.wpe(torch.arange(t))
        x = self.transformer.drop(x)
        for blk in self.transformer.h:
            x = blk(x)
        return self.lm_head(self.transformer.ln_f(x))

    def sequor_state_dict(self):
        sd = dict(self.state_dict())
        if self.tied:
            sd.pop("lm_head.weight")
        return sd

    def load_sequor_state_dict(self, sd):
        sd = dict(sd)
        if self.tied:
            sd["lm_head.weight"] = sd["transformer.wte.weight"]
        self.load_state_dict(sd)


def model_from_metadata(meta, vocab_size):
    cfg = json.loads(meta["config"])
    arch = meta["arch"]
    if arch == "gpt":
        return GPT(vocab_size, cfg["d_model"], cfg["heads"], cfg["layers"], cfg["context"], cfg["bias"], cfg["tied"])
    return CharRNN(arch, vocab_size, cfg["embed"], cfg["hidden"], cfg["layers"], cfg.get("nonlinearity", "tanh"))


def load(path):
    """A PyTorch model holding the weights of a Sequor checkpoint, and its vocabulary."""
    meta, sd = read_safetensors(path)
    model = model_from_metadata(meta, len(meta["vocab"]))
    if isinstance(model, GPT):
        model.load_sequor_state_dict(sd)
    else:
        model.load_state_dict(sd)  # strict: same names, same shapes
    return model.eval(), meta["vocab"]


@torch.no_grad()
def evaluate(model, tokens):
    """`sequor eval`'s semantics: one stream from zero state (rnn/gru/lstm) or non-overlapping blocks (gpt)."""
    x = torch.tensor(tokens, dtype=torch.long)
    if isinstance(model, GPT):
        t = model.context
        nb = (len(tokens) - 1) // t
        inp = x[:nb * t].view(nb, t)
        tgt = x[1:nb * t + 1].view(nb, t)
        total = 0.0
        for i in range(0, nb, 64):
            logits = model(inp[i:i + 64]).double()
            total += F.cross_entropy(logits.reshape(-1, logits.size(-1)), tgt[i:i + 64].reshape(-1), reduction="sum").item()
        return total, nb * t
    logits, _ = model(x[:-1].unsqueeze(0))
    total = F.cross_entropy(logits[0].double(), x[1:], reduction="sum").item()
    return total, len(tokens) - 1


# ---- commands ----

def export_nanogpt(ckpt_path, meta_path, out_path):
    """nanoGPT's out-shakespeare-char/ckpt.pt + data/shakespeare_char/meta.pkl -> Sequor checkpoint."""
    ck = torch.load(ckpt_path, map_location="cpu")
    args = ck["model_args"]
    with open(meta_path, "rb") as f:
        itos = pickle.load(f)["itos"]
    vocab = "".join(itos[i] for i in range(len(itos)))
    sd = {}
    for k, v in ck["model"].items():
        k = k.removeprefix("_orig_mod.")  # torch.compile's wrapper
        if k.endswith(".attn.bias"):      # the causal-mask buffer of older PyTorch, not a parameter
            continue
        sd[k] = v
    sd.pop("lm_head.weight", None)        # nanoGPT ties lm_head to wte
    if args["vocab_size"] != len(vocab):  # nanoGPT may pad the vocabulary; keep the real rows
        sd["transformer.wte.weight"] = sd["transformer.wte.weight"][:len(vocab)]
    config = {"d_model": args["n_embd"], "heads": args["n_head"], "layers": args["n_layer"],
              "context": args["block_size"], "bias": bool(args["bias"]), "tied": True}
    write_safetensors(out_path, sd, {"arch": "gpt", "vocab": vocab, "config": json.dumps(config)})


def demo(arch, out_path, text_path, steps=200):
    """Trains a tiny PyTorch model for a few steps on TEXT and exports it (for interop checks)."""
    torch.manual_seed(0)
    text = open(text_path, encoding="utf-8").read()
    vocab = "".join(sorted(set(text)))
    stoi = {c: i for i, c in enumerate(vocab)}
    data = torch.tensor([stoi[c] for c in text], dtype=torch.long)
    if arch == "gpt":
        model, config, t = GPT(len(vocab), 32, 4, 2, 32, bias=True, tied=False), None, 32
        config = {"d_model": 32, "heads": 4, "layers": 2, "context": 32, "bias": True, "tied": False}
    else:
        model, t = CharRNN(arch, len(vocab), 16, 32, 2), 32
        config = {"embed": 16, "hidden": 32, "layers": 2}
        if arch == "rnn":
            config["nonlinearity"] = "tanh"
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3)
    for _ in range(steps):
        ix = torch.randint(len(data) - t - 1, (16,))
        x = torch.stack([data[i:i + t] for i in ix])
        y = torch.stack([data[i + 1:i + t + 1] for i in ix])
        logits = model(x) if arch == "gpt" else model(x)[0]
        loss = F.cross_entropy(logits.reshape(-1, len(vocab)), y.reshape(-1))
        opt.zero_grad()
        loss.backward()
        opt.step()
    sd = model.sequor_state_dict() if arch == "gpt" else model.state_dict()
    write_safetensors(out_path, sd, {"arch": arch, "vocab": vocab, "config": json.dumps(config)})
    print(f"trained {arch} for {steps} steps (last loss {loss.item():.4f}); wrote {out_path}", file=sys.stderr)


def main(argv):
    if len(argv) >= 1 and argv[0] == "nanogpt" and len(argv) == 4:
        export_nanogpt(*argv[1:])
    elif len(argv) >= 1 and argv[0] == "eval" and len(argv) == 3:
        model, vocab = load(argv[1])
        stoi = {c: i for i, c in enumerate(vocab)}
        text = open(argv[2], encoding="utf-8").read()
        total, n = evaluate(model, [stoi[c] for c in text])
        print(f"loss {total / n:.4f} bpc {total / n / math.log(2):.4f} chars {n}")
    elif len(argv) >= 1 and argv[0] == "demo" and len(argv) in (4, 5):
        demo(argv[1], argv[2], argv[3], *(int(a) for a in argv[4:]))
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
