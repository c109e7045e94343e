#!/usr/bin/env python3
"""Builds test-data/sft/europarl-sft.jsonl: instruction data derived from the bundled Europarl slice.

Each record is either a chat ({"messages": [{role, content}, ...]}) or a prompt/completion pair,
with the answers taken verbatim from real Europarl text (titles, dates, first sentences of the
speeches). A few records are malformed on purpose so that every rejection reason is exercised.
Deterministic: the same input gives the same file. Usage, from the repository root:

    python3 tools/sft-corpus/make_sft_corpus.py test-data/europarl-1k.txt test-data/sft/europarl-sft.jsonl
"""
import json
import random
import re
import sys


def sentences(body, count):
    parts = re.split(r"(?<=[.!?])\s+", body.strip())
    return " ".join(p.strip() for p in parts[:count] if p.strip())


def main(source, target):
    rng = random.Random(20261128)
    records = []
    with open(source, encoding="utf-8") as f:
        docs = [line.rstrip("\n").split("\t", 2) for line in f]
    docs = [d for d in docs if len(d) == 3 and d[2].strip()]
    for i, (title, date, body) in enumerate(docs[:240]):
        title = title.strip()
        body = " ".join(body.split())
        kind = i % 6
        if kind == 0:
            records.append({"prompt": f"Give the title of the European Parliament debate that "
                                      f"begins: \"{body[:160]}\"\nTitle:",
                            "completion": " " + title})
        elif kind == 1:
            records.append({"messages": [
                {"role": "user", "content": f"Summarise the debate \"{title}\" of {date}."},
                {"role": "assistant", "content": sentences(body, 2)}]})
        elif kind == 2:
            records.append({"messages": [
                {"role": "system", "content": "You answer questions about European Parliament "
                                              "proceedings, quoting the record."},
                {"role": "user", "content": f"What was said first in \"{title}\"?"},
                {"role": "assistant", "content": sentences(body, 1)},
                {"role": "user", "content": "When did this sitting take place?"},
                {"role": "assistant", "content": f"The sitting took place on {date}."}]})
        elif kind == 3:
            # Literal special-token strings in content must stay plain text.
            marker = rng.choice(["<|eot_id|>", "<|begin_of_text|>", "<|im_start|>", "<|endoftext|>"])
            records.append({"messages": [
                {"role": "user", "content": f"Quote the markup {marker} and then the title of the "
                                            f"debate of {date}."},
                {"role": "assistant", "content": f"The markup is {marker}; the title is \"{title}\"."}]})
        elif kind == 4:
            records.append({"messages": [
                {"role": "user", "content": f"Continue the speech: {sentences(body, 1)}"},
                {"role": "assistant", "content": sentences(body[len(sentences(body, 1)):], 2)
                 or "I have nothing to add."}]})
        else:
            records.append({"prompt": f"Date of the debate \"{title}\"?", "completion": f" {date}"})
    # Malformed on purpose: one record per rejection reason.
    records.append({"messages": [{"role": "user", "content": "No answer follows."}]})  # no_target
    records.append({"messages": [{"role": "narrator", "content": "Unknown role."},
                                 {"role": "assistant", "content": "x"}]})  # invalid_messages
    records.append({"messages": [{"role": "user", "content": 5},
                                 {"role": "assistant", "content": "x"}]})  # invalid_messages
    records.append({"prompt": "Only a prompt."})  # missing_field
    records.append({"prompt": None, "completion": "x"})  # null_field
    records.append({"prompt": ["a"], "completion": "x"})  # field_not_string
    long_text = " ".join(d[2] for d in docs[240:250])
    records.append({"messages": [{"role": "user", "content": long_text},
                                 {"role": "assistant", "content": "Too long to keep."}]})  # too_long
    lines = [json.dumps(r, ensure_ascii=False) for r in records]
    lines.insert(17, "{\"messages\": [")  # invalid_json
    lines.insert(33, "")  # empty
    with open(target, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
