"""The Python reference encoders on the same corpus as EngineBenchmark (bench/engines.sh).

For each tokenizer: Hugging Face `tokenizers` (the Rust core through its Python binding) and, where
the tokenizer is tiktoken-compatible, `tiktoken` built from the same tokenizer.json (mergeable
ranks = the vocabulary's byte strings ranked by id, pat_str = the pre-tokenizer's regex, no special
tokens). One thread, CPU time, median of --passes; ids compared document by document.

Usage: python engines_python.py --corpus lines.txt --tokenizer-root FOLDER --tokenizers gpt2,llama3
"""

import argparse
import json
import os
import re
import statistics
import time
import unicodedata

os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("RAYON_NUM_THREADS", "1")

import tiktoken  # noqa: E402
from tokenizers import Tokenizer  # noqa: E402

GPT2_PATTERN = r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"""


def byte_decoder():
    """GPT-2's byte <-> printable character table, inverted (character -> byte)."""
    printable = (
        list(range(ord("!"), ord("~") + 1))
        + list(range(ord("¡"), ord("¬") + 1))
        + list(range(ord("®"), ord("ÿ") + 1))
    )
    chars = printable[:]
    n = 0
    for b in range(256):
        if b not in printable:
            printable.append(b)
            chars.append(256 + n)
            n += 1
    return {chr(c): b for b, c in zip(printable, chars)}


def tiktoken_pattern(spec):
    """The regex tiktoken must use, or None when the tokenizer is not tiktoken-compatible."""
    model = spec["model"]
    if model.get("type") != "BPE" or model.get("byte_fallback") or model.get("dropout"):
        return None
    if (spec.get("normalizer") or {}).get("type") not in (None, "NFC"):
        return None
    pre = spec.get("pre_tokenizer") or {}
    if pre.get("type") == "ByteLevel" and pre.get("use_regex", True):
        return None if pre.get("add_prefix_space") else GPT2_PATTERN
    if pre.get("type") == "Sequence":
        steps = pre["pretokenizers"]
        if (
            len(steps) == 2
            and steps[0]["type"] == "Split"
            and steps[0].get("behavior") == "Isolated"
            and not steps[0].get("invert")
            and "Regex" in steps[0]["pattern"]
            and steps[1]["type"] == "ByteLevel"
            and not steps[1].get("use_regex", True)
            and not steps[1].get("add_prefix_space")
        ):
            return steps[0]["pattern"]["Regex"]
    return None


def tiktoken_encoding(name, spec, pattern):
    decode = byte_decoder()
    ranks = {bytes(decode[c] for c in token): rank for token, rank in spec["model"]["vocab"].items()}
    return tiktoken.Encoding(name, pat_str=pattern, mergeable_ranks=ranks, special_tokens={})


def cpu_seconds(texts, encode):
    start = time.process_time()
    for text in texts:
        encode(text)
    return time.process_time() - start


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", required=True)
    parser.add_argument("--tokenizer-root", required=True)
    parser.add_argument("--tokenizers", default="gpt2,llama3,qwen3")
    parser.add_argument("--passes", type=int, default=3)
    args = parser.parse_args()
    with open(args.corpus, encoding="utf-8") as f:
        texts = re.split(r"\r\n|\r|\n", f.read())  # as Java's readAllLines
    if texts and texts[-1] == "":
        texts.pop()
    mb = sum(len(t.encode("utf-8")) + 1 for t in texts) / 1e6
    print(f"{len(texts):,} documents, {mb:.1f} MB; one thread, CPU time, median of {args.passes} passes")
    print()
    print("| tokenizer | encoder | MB/s | tokens/s | documents with ids equal to HF |")
    print("|---|---|---:|---:|---:|")
    for name in args.tokenizers.split(","):
        path = os.path.join(args.tokenizer_root, name, "tokenizer.json")
        with open(path, encoding="utf-8") as f:
            spec = json.load(f)
        hf = Tokenizer.from_file(path)
        hf_encode = lambda t: hf.encode(t, add_special_tokens=False).ids  # noqa: E731
        reference = [hf_encode(t) for t in texts]
        tokens = sum(len(ids) for ids in reference)
        seconds = statistics.median(cpu_seconds(texts, hf_encode) for _ in range(args.passes))
        print(f"| {name} | HF tokenizers {version('tokenizers')} | {mb / seconds:.2f} | {tokens / seconds:,.0f} | — |")
        pattern = tiktoken_pattern(spec)
        if pattern is None:
            print(f"| {name} | tiktoken | not tiktoken-compatible | | |")
            continue
        encoding = tiktoken_encoding(name, spec, pattern)
        encode = encoding.encode_ordinary
        if (spec.get("normalizer") or {}).get("type") == "NFC":
            encode = lambda t: encoding.encode_ordinary(unicodedata.normalize("NFC", t))  # noqa: E731
        equal = sum(encode(t) == ids for t, ids in zip(texts, reference))
        seconds = statistics.median(cpu_seconds(texts, encode) for _ in range(args.passes))
        print(
            f"| {name} | tiktoken {version('tiktoken')} "
            f"| {mb / seconds:.2f} | {tokens / seconds:,.0f} | {equal:,} of {len(texts):,} |"
        )


def version(package):
    from importlib.metadata import version as installed

    return installed(package)


if __name__ == "__main__":
    main()
