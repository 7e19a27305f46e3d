using System.Text.Json.Nodes;
using RecurrentKif.Gpu.Models;

namespace RecurrentKif.Gpu.Tokenization.HuggingFace;

/// <summary>
/// Which tokens of a tokenizer.json are BOS, EOS and padding. tokenizer.json does not say; the folder's
/// tokenizer_config.json does (bos_token, eos_token, pad_token, as Hugging Face's tokenizer classes read them), and
/// config.json's bos_token_id / eos_token_id are the fallback when a folder has no tokenizer_config.json.
/// </summary>
/// <param name="BosId">−1 when the model has no BOS (Qwen2: bos_token null).</param>
/// <param name="PadId">The pad token, else EOS: padded positions are masked, and decoding drops pad ids, so the
/// pad id must be a token that never stands for text (id 0 is '!' in Llama-3).</param>
public sealed record SpecialTokenIds(int BosId, int EosId, int PadId)
{
    public static SpecialTokenIds Read(string folder, Func<string, int?> idOfToken)
    {
        string tokenizerConfig = Path.Combine(folder, "tokenizer_config.json");
        if (File.Exists(tokenizerConfig)) return FromTokenizerConfig(HfConfigFile.Read(tokenizerConfig), idOfToken, tokenizerConfig);
        string modelConfig = Path.Combine(folder, "config.json");
        if (File.Exists(modelConfig))
        {
            JsonObject json = HfConfigFile.Read(modelConfig);
            int eos = FirstId(json["eos_token_id"]) ?? throw new ModelLoadException(
                $"{folder}: no tokenizer_config.json and config.json has no eos_token_id; the tokenizer's EOS is unknown");
            return new SpecialTokenIds(FirstId(json["bos_token_id"]) ?? -1, eos, FirstId(json["pad_token_id"]) ?? eos);
        }
        throw new ModelLoadException($"{folder}: tokenizer.json needs tokenizer_config.json (or config.json) beside it to name its EOS token");
    }

    public static SpecialTokenIds FromTokenizerConfig(JsonObject config, Func<string, int?> idOfToken, string source)
    {
        int? Id(string key)
        {
            string? content = config[key] switch
            {
                null => null,
                JsonValue value => value.GetValue<string>(),
                // Older files write an AddedToken object: {"__type": "AddedToken", "content": "<s>", ...}.
                JsonObject token => token["content"]?.GetValue<string>(),
                _ => throw new ModelLoadException($"{source}: {key} is neither a string nor a token object"),
            };
            if (content is null) return null;
            return idOfToken(content) ?? throw new ModelLoadException($"{source}: {key} '{content}' is not a token of tokenizer.json");
        }
        int eos = Id("eos_token") ?? throw new ModelLoadException($"{source}: eos_token is not set; sequences could not end");
        return new SpecialTokenIds(Id("bos_token") ?? -1, eos, Id("pad_token") ?? eos);
    }

    // Llama-3.1 configs list several EOS ids; the first is the one generation stops on by default.
    private static int? FirstId(JsonNode? node) => node switch
    {
        null => null,
        JsonArray array => array.Count > 0 ? array[0]!.GetValue<int>() : null,
        _ => node.GetValue<int>(),
    };
}
