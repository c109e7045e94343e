// Writes golden token ids for GoldenTokenizationTest with the Hugging Face reference
// implementation (npm `tokenizers`, the Node binding of the same Rust core DJL wraps).
//
// Usage (from this folder, after `npm ci`):
//   node make-goldens.mjs <repo root> [<tokenizers folder>]
// The tokenizers folder defaults to <repo root>/test-data/tokenizers; in each <name> folder
// tokenizer.json is read, or tokenizer.json.gz (as test-data stores Llama 3 and Qwen3) unpacked in
// memory. ../shared/tokenizers holds the same files unpacked. Output goes to
// <repo root>/spark-job/src/test/resources/golden/tokenize-<name>.jsonl, one line per text:
//   {"case": ..., "text": ..., "ids": [...], "sanitized": true}
//
// "sanitized": the ids come from a copy of tokenizer.json with every `special: true` entry of
// `added_tokens` removed, as the job loads it, so literal strings such as <|endoftext|> inside a
// document encode as ordinary text (Hugging Face's split_special_tokens). Done here independently
// of the Java code on purpose.
//
// Removing entries renumbers the added tokens that stay: the Rust core gives an added token that
// is not in the model vocabulary the next free id, ignoring the "id" in the file. In Qwen3 the
// non-special <tool_call> (151657) would become 151643, the id of <|endoftext|>. The reference
// ids are those of the original file, so ids of kept added tokens are mapped back by content.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import tokenizers from 'tokenizers';

const { Tokenizer } = tokenizers;

const NAMES = ['gpt2', 'llama3', 'qwen3'];
const DOCUMENTS = 60;
const MAX_CODE_POINTS = 1500;

const EDGE_CASES = [
  ['notes hello world', 'Hello world'],
  ['notes leading space', ' Hello world'],
  ['notes punctuation', 'Hello, world!'],
  ['notes contraction', "I'm here"],
  ['empty', ''],
  ['single space', ' '],
  ['leading spaces', '   three leading spaces'],
  ['trailing spaces', 'three trailing spaces   '],
  ['multiple spaces', 'multiple  spaces    between     words  .'],
  ['only whitespace', '  \t \n  '],
  ['tabs', '\tcolumn one\tcolumn two\t\tafter two tabs\t'],
  ['newlines', 'line one\nline two\n\n\nline five after blanks\n'],
  ['crlf', 'first line\r\nsecond line\r\n\r\nfourth line\r\n'],
  ['lone cr', 'carriage\rreturn only\r'],
  ['unicode separators', 'no\u00a0break, line\u2028separator, para\u2029graph, \ufeffbom, zero\u200bwidth'],
  ['emoji skin tones', 'Hello 👋🏽 world 👍🏿 ok 👩🏻‍💻 family 👨‍👩‍👧‍👦 flag 🇪🇺 heart ❤️'],
  ['cjk', '欧洲议会今天通过了新的法规。日本語のテキストです。한국어 텍스트도 있습니다.'],
  ['arabic hebrew', 'البرلمان الأوروبي يوافق على القرار. הפרלמנט האירופי'],
  ['mixed scripts', 'Ελληνικά, русский, ქართული, हिन्दी, ไทย, Türkçe, Ørsted'],
  ['combining accents', 'Cafe\u0301 re\u0301sume\u0301 A\u030angstro\u0308m n\u0303 \u1100\u1161\u11a8'],
  ['precomposed accents', 'Café résumé Ångström ñ 각'],
  ['combining only', 'e\u0301\u0301 \u0301 a\u0323\u0302'],
  ['digits', '0 12 345 6789 1234567890 3.14159 2026-11-28 1,000,000.00 007 ١٢٣ ４５６'],
  ['long digit run', '9'.repeat(300)],
  ['very long word', 'Donaudampfschifffahrtsgesellschaftskapitän'.repeat(60)],
  ['long repeated letter', 'a'.repeat(2000)],
  ['supplementary letters', '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝐁𝐨𝐥𝐝 𓂀 𠜎𠜱'],
  ['nul', 'before\u0000after \u0000\u0000 end'],
  ['control chars', 'bell\u0007 escape\u001b[0m del\u007f unit\u001f'],
  ['case contractions', "I'M HERE, we'll, THEY'VE, it's, she’s, o'clock"],
  ['code', 'if (x <= 10) {\n    return a[i] >> 2; // comment\n}\n'],
  ['gpt2 eos alone', '<|endoftext|>'],
  ['gpt2 eos after space', ' <|endoftext|>'],
  ['gpt2 eos between texts', 'end of one document<|endoftext|>start of the next'],
  ['gpt2 eos twice', '<|endoftext|><|endoftext|>\n<|endoftext|>'],
  ['llama3 bos eos', '<|begin_of_text|>Hello there<|end_of_text|>'],
  [
    'llama3 chat header',
    '<|start_header_id|>user<|end_header_id|>\n\nWhat is Europarl?<|eot_id|>' +
      '<|start_header_id|>assistant<|end_header_id|>\n\n',
  ],
  ['llama3 reserved', 'x<|reserved_special_token_0|>y <|reserved_special_token_250|>'],
  ['qwen3 chat', '<|im_start|>system\nYou are helpful.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n'],
  ['qwen3 vision', '<|vision_start|><|image_pad|><|vision_end|><|endoftext|>'],
  ['qwen3 non-special added', '<think>\nreasoning\n</think>\n<tool_call>{"a": 1}</tool_call>'],
  ['all specials together', '<|endoftext|><|begin_of_text|><|end_of_text|><|im_start|><|im_end|><|start_header_id|>'],
  ['broken special strings', '<|endoftext| <|im_start <|begin_of_text |> <| endoftext |>'],
];

function firstCodePoints(text, count) {
  return Array.from(text).slice(0, count).join('');
}

// Loads the sanitized copy and returns a map from the ids it gives kept added tokens to their ids
// in the original file (empty when nothing moved).
function loadSanitized(json) {
  const root = JSON.parse(json);
  const kept = (root.added_tokens ?? []).filter((token) => token.special !== true);
  root.added_tokens = kept;
  const tokenizer = Tokenizer.fromString(JSON.stringify(root));
  const modelVocab = tokenizer.getVocab(false);
  const moved = new Map();
  for (const token of kept) {
    const loadedId = tokenizer.tokenToId(token.content);
    if (loadedId !== token.id) {
      if (Object.values(modelVocab).includes(loadedId)) {
        throw new Error(`added token ${token.content} moved onto model id ${loadedId}`);
      }
      moved.set(loadedId, token.id);
    }
  }
  return { tokenizer, moved };
}

function specialTokens(json) {
  return (JSON.parse(json).added_tokens ?? []).filter((token) => token.special === true);
}

function sameIds(a, b) {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}

async function idsOf(tokenizer, text) {
  const encoding = await tokenizer.encode(text, null, { addSpecialTokens: false });
  return encoding.getIds();
}

// tokenizer.json of a tokenizer folder, or its gzipped copy tokenizer.json.gz.
function readTokenizerJson(dir) {
  const plain = join(dir, 'tokenizer.json');
  if (existsSync(plain)) {
    return readFileSync(plain, 'utf8');
  }
  return gunzipSync(readFileSync(`${plain}.gz`)).toString('utf8');
}

async function main() {
  const [rootArg, tokenizersArg] = process.argv.slice(2);
  if (!rootArg) {
    console.error('usage: node make-goldens.mjs <repo root> [<tokenizers folder>]');
    process.exit(2);
  }
  const root = resolve(rootArg);
  const tokenizersDir = resolve(tokenizersArg ?? join(root, 'test-data', 'tokenizers'));
  const outDir = join(root, 'spark-job', 'src', 'test', 'resources', 'golden');
  mkdirSync(outDir, { recursive: true });

  const lines = readFileSync(join(root, 'test-data', 'europarl-1k.txt'), 'utf8').split('\n');
  const texts = lines.slice(0, DOCUMENTS).map((line, i) => [
    `europarl-1k.txt line ${i + 1}`,
    firstCodePoints(line, MAX_CODE_POINTS),
  ]);
  texts.push(...EDGE_CASES.map(([name, text]) => [`edge: ${name}`, text]));

  for (const name of NAMES) {
    const json = readTokenizerJson(join(tokenizersDir, name));
    const specials = specialTokens(json);
    const specialIds = new Set(specials.map((token) => token.id));
    const original = Tokenizer.fromString(json);
    const { tokenizer, moved } = loadSanitized(json);
    const out = [];
    let withSpecials = 0;
    let remapped = 0;
    for (const [label, text] of texts) {
      const loadedIds = await idsOf(tokenizer, text);
      const ids = loadedIds.map((id) => moved.get(id) ?? id);
      if (!sameIds(ids, loadedIds)) {
        remapped++;
      }
      const originalIds = await idsOf(original, text);
      const hasSpecial = specials.some((token) => text.includes(token.content));
      // Self-checks: sanitizing changes nothing unless the text holds a special string, and then
      // no special id may remain.
      if (hasSpecial) {
        withSpecials++;
      } else if (!sameIds(ids, originalIds)) {
        throw new Error(`${name} ${label}: sanitized ids differ from original without specials`);
      }
      if (ids.some((id) => specialIds.has(id))) {
        throw new Error(`${name} ${label}: special id in sanitized output`);
      }
      out.push(JSON.stringify({ case: label, text, ids, sanitized: true }));
    }
    const file = join(outDir, `tokenize-${name}.jsonl`);
    writeFileSync(file, out.join('\n') + '\n', 'utf8');
    console.log(
      `${file}: ${out.length} lines, ${withSpecials} with literal special strings, ` +
        `${moved.size} kept added tokens renumbered by the sanitized copy ` +
        `(ids mapped back in ${remapped} lines)`,
    );
  }
}

await main();
