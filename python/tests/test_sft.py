"""SFT rows: the ids are the reference tokenization of each example, and the targets are exactly
what the model must produce, as Hugging Face transformers renders and tokenizes the examples.

The reference is independent of the job: transformers' own Jinja rendering of the model's chat
template and its own tokenizer. For turn i of a chat, the model is prompted with the conversation
before it and the generation prompt (``apply_chat_template(messages[:i],
add_generation_prompt=True)``); what it must produce is what follows in the whole conversation,
through the first special token (the end of turn). For a pair, the targets are the tokens that
overlap the completion's characters, then EOS."""

import json
from collections import defaultdict

import pytest
from transformers import AutoTokenizer

from conftest import SFT_INPUT, run_job
from seqpack_torch import PackedDataset


@pytest.fixture(scope="module")
def tokenizer(llama3_tokenizer):
    return AutoTokenizer.from_pretrained(str(llama3_tokenizer))


def ids_of(encoded) -> list[int]:
    return list(encoded["input_ids"] if hasattr(encoded, "keys") else encoded)


def chat_reference(tokenizer, messages):
    full = ids_of(tokenizer.apply_chat_template(messages, tokenize=True))
    special = set(tokenizer.all_special_ids) | {
        i for i, t in tokenizer.added_tokens_decoder.items() if t.special
    }
    targets = [0] * len(full)
    for turn, message in enumerate(messages):
        if message["role"] != "assistant":
            continue
        prompt = ids_of(
            tokenizer.apply_chat_template(messages[:turn], tokenize=True, add_generation_prompt=True)
        )
        assert full[: len(prompt)] == prompt, "the generation prompt is not a prefix of the chat"
        for j in range(len(prompt), len(full)):
            targets[j] = 1
            if full[j] in special:
                break
    return full, targets


def pair_reference(tokenizer, prompt, completion):
    text = prompt + completion
    encoded = tokenizer(text, add_special_tokens=False, return_offsets_mapping=True)
    start = len(prompt)
    targets = [1 if end > start else 0 for _, end in encoded["offset_mapping"]]
    return list(encoded["input_ids"]) + [tokenizer.eos_token_id], targets + [1]


def holds_special_string(tokenizer, example) -> bool:
    """Literal special-token strings stay text in the job (docs/ROBUSTNESS.md) but become special
    ids in transformers' tokenization, so such examples have no reference here."""
    strings = [t.content for t in tokenizer.added_tokens_decoder.values() if t.special]
    return any(s in json.dumps(example, ensure_ascii=False) for s in strings)


def references(tokenizer):
    """ids -> list of target masks, for every example the reference can take."""
    out, skipped = defaultdict(list), 0
    for line in SFT_INPUT.read_text(encoding="utf-8").splitlines():
        try:
            example = json.loads(line)
        except ValueError:
            continue
        if not isinstance(example, dict):
            continue
        if holds_special_string(tokenizer, example):
            skipped += 1
            continue
        try:
            if isinstance(example.get("messages"), list):
                ids, targets = chat_reference(tokenizer, example["messages"])
            elif isinstance(example.get("prompt"), str) and isinstance(example.get("completion"), str):
                ids, targets = pair_reference(tokenizer, example["prompt"], example["completion"])
            else:
                continue
        except Exception:  # the job rejects what its template or parser refuses; counted below
            continue
        out[tuple(ids)].append(targets)
    return out, skipped


def segments(path):
    for row in PackedDataset(str(path), shuffle=False):
        seg = row["segment_ids"]
        for s in range(1, int(seg.max()) + 1):
            where = seg == s
            yield tuple(int(i) for i in row["input_ids"][where]), [int(m) for m in row["loss_mask"][where]]


def compare(path, tokenizer):
    """(segments matched with the reference, not found in it, with other targets)."""
    reference, _ = references(tokenizer)
    matched = unmatched = differing = 0
    for ids, loss_mask in segments(path):
        if ids not in reference:
            unmatched += 1
        elif loss_mask in reference[ids]:
            matched += 1
        else:
            differing += 1
    return matched, unmatched, differing


def test_targets_are_exactly_what_the_model_must_produce(sft_packed, tokenizer):
    _, skipped = references(tokenizer)
    matched, unmatched, differing = compare(sft_packed, tokenizer)
    stats = json.loads((sft_packed / "stats.json").read_text())
    assert differing == 0
    # Every packed example is found with its ids, but those holding special-token strings.
    assert matched + unmatched == stats["documents"]["packed"]
    assert unmatched <= skipped
    assert matched >= 200, f"only {matched} examples compared"


def test_the_comparison_catches_prompt_tokens_as_targets(tmp_path, llama3_tokenizer, tokenizer):
    trained_on_prompt = run_job(
        tmp_path / "on-prompt", "--task", "sft", "--format", "jsonl", "--seq-len", "1024",
        "--train-on-prompt", input=SFT_INPUT, tokenizer=llama3_tokenizer,
    )
    matched, _, differing = compare(trained_on_prompt, tokenizer)
    assert matched == 0 and differing >= 200
