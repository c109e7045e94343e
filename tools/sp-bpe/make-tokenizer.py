"""Builds test-data/tokenizers/sp-bpe: a SentencePiece-style BPE tokenizer.json with the shape of
Llama 2's and Mistral's (normalizer Prepend("▁") + Replace(" ", "▁"), no pre-tokenizer, byte
fallback), trained with Hugging Face `tokenizers` on the bundled Europarl slice. Because nothing
splits the text before the merges, its tokens can run across spaces ("▁of▁the"): cutting a long
text at a space is not a token boundary for it, which is what the tests of long documents need.

    python/.venv/bin/python tools/sp-bpe/make-tokenizer.py      # from the repository root
"""

import json
from pathlib import Path

from tokenizers import Tokenizer, decoders, models, normalizers, trainers

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "test-data/tokenizers/sp-bpe"


def main() -> None:
    lines = (ROOT / "test-data/europarl-1k.txt").read_text(encoding="utf-8").splitlines()
    texts = [line.split("\t", 2)[2] for line in lines]
    tokenizer = Tokenizer(models.BPE(unk_token="<unk>", byte_fallback=True, fuse_unk=True))
    tokenizer.normalizer = normalizers.Sequence(
        [normalizers.Prepend("▁"), normalizers.Replace(" ", "▁")]
    )
    tokenizer.decoder = decoders.Sequence(
        [
            decoders.Replace("▁", " "),
            decoders.ByteFallback(),
            decoders.Fuse(),
            decoders.Strip(" ", 1, 0),
        ]
    )
    specials = ["<unk>", "<s>", "</s>"]
    trainer = trainers.BpeTrainer(
        vocab_size=3000,
        special_tokens=specials + [f"<0x{b:02X}>" for b in range(256)],
        initial_alphabet=[],
        show_progress=False,
        max_token_length=24,
    )
    tokenizer.train_from_iterator(texts, trainer)
    OUT.mkdir(parents=True, exist_ok=True)
    tokenizer.save(str(OUT / "tokenizer.json"))
    config = {
        "bos_token": "<s>",
        "eos_token": "</s>",
        "unk_token": "<unk>",
        "add_bos_token": True,
        "tokenizer_class": "LlamaTokenizerFast",
    }
    (OUT / "tokenizer_config.json").write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    crossing = [t for t in tokenizer.get_vocab() if "▁" in t[1:]]
    print(f"{tokenizer.get_vocab_size()} tokens, {len(crossing)} run across a space, e.g. {crossing[:5]}")


if __name__ == "__main__":
    main()
