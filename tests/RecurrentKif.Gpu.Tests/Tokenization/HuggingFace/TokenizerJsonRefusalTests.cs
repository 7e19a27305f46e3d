using System.Text.Json.Nodes;
using RecurrentKif.Gpu.Models;
using RecurrentKif.Gpu.Tests.Data;
using RecurrentKif.Gpu.Tokenization;

namespace RecurrentKif.Gpu.Tests.Tokenization.HuggingFace;

/// <summary>A tokenizer.json setting that is not implemented is refused with the file and the setting named, never read approximately.</summary>
public sealed class TokenizerJsonRefusalTests
{
    private static ModelLoadException Refusal(Action<JsonObject> change, params string[] expectedInMessage)
    {
        using var folder = new TempDirectory();
        JsonObject json = new SmallTokenizerJson().ToJson();
        change(json);
        string path = Path.Combine(folder.Path, "tokenizer.json");
        File.WriteAllText(path, json.ToJsonString());
        File.WriteAllText(Path.Combine(folder.Path, "tokenizer_config.json"), """{"eos_token": "!"}""");
        var error = Assert.Throws<ModelLoadException>(() => TokenizerLoader.FromModelFolder(folder.Path));
        Assert.Contains(path, error.Message);
        foreach (string expected in expectedInMessage) Assert.Contains(expected, error.Message);
        return error;
    }

    [Theory]
    [InlineData("Unigram")]
    [InlineData("WordPiece")]
    [InlineData("WordLevel")]
    public void Other_model_types_are_refused_naming_the_type(string type) =>
        Refusal(json => json["model"]!["type"] = type, $"model type '{type}'", "tokenizer.model");

    [Fact]
    public void A_sentencepiece_style_bpe_is_refused()
    {
        Refusal(json => json["pre_tokenizer"] = new JsonObject { ["type"] = "Metaspace", ["replacement"] = "▁" }, "pre-tokenizer 'Metaspace'");
        Refusal(json => json["model"]!["byte_fallback"] = true, "byte_fallback");
        Refusal(json => json["decoder"] = new JsonObject { ["type"] = "Metaspace" }, "decoder 'Metaspace'");
    }

    [Fact]
    public void Unimplemented_options_are_refused_naming_the_option()
    {
        Refusal(json => json["normalizer"] = new JsonObject { ["type"] = "Lowercase" }, "normalizer Lowercase");
        Refusal(json => json["model"]!["dropout"] = 0.1, "dropout");
        Refusal(json => json["model"]!["end_of_word_suffix"] = "</w>", "end_of_word_suffix");
        Refusal(json => ((JsonObject)json["pre_tokenizer"]!["pretokenizers"]![0]!)["behavior"] = "Removed", "behavior 'Removed'");
        Refusal(json => ((JsonArray)json["added_tokens"]!).Add(new JsonObject
        {
            ["id"] = 256, ["content"] = "<w>", ["single_word"] = true, ["lstrip"] = false, ["rstrip"] = false, ["normalized"] = false, ["special"] = true,
        }), "'<w>'", "single_word");
    }

    [Fact]
    public void A_merge_of_pieces_outside_the_vocabulary_is_an_error()
    {
        Refusal(json => json["model"]!["merges"] = new JsonArray(new JsonArray("a", "b")), "merge 0", "'ab'");
    }

    [Fact]
    public void An_eos_token_that_is_not_in_the_file_is_an_error()
    {
        using var folder = new TempDirectory();
        new SmallTokenizerJson().Write(folder.Path, eosToken: "<|eot|>");
        var error = Assert.Throws<ModelLoadException>(() => TokenizerLoader.FromModelFolder(folder.Path));
        Assert.Contains("tokenizer_config.json", error.Message);
        Assert.Contains("'<|eot|>'", error.Message);
    }

    [Fact]
    public void Without_tokenizer_config_json_the_special_ids_come_from_config_json_and_are_checked()
    {
        using var folder = new TempDirectory();
        var file = new SmallTokenizerJson().WithAddedToken("<s>").WithAddedToken("</s>");
        File.WriteAllText(Path.Combine(folder.Path, "tokenizer.json"), file.ToJson().ToJsonString());
        folder.WriteFile("config.json", $$"""{"model_type": "qwen2", "bos_token_id": {{file.FirstAddedId}}, "eos_token_id": [{{file.FirstAddedId + 1}}, 7]}""");
        var tokenizer = TokenizerLoader.FromModelFolder(folder.Path);
        Assert.Equal((file.FirstAddedId, file.FirstAddedId + 1, file.FirstAddedId + 1), (tokenizer.BosId, tokenizer.EosId, tokenizer.PadId));

        folder.WriteFile("config.json", """{"model_type": "qwen2", "eos_token_id": 900}""");
        var error = Assert.Throws<ModelLoadException>(() => TokenizerLoader.FromModelFolder(folder.Path));
        Assert.Contains("EOS id 900", error.Message);
    }

    [Fact]
    public void Invalid_json_names_the_file()
    {
        using var folder = new TempDirectory();
        string path = folder.WriteFile("tokenizer.json", "{ not json");
        var error = Assert.Throws<ModelLoadException>(() => TokenizerLoader.FromModelFolder(folder.Path));
        Assert.Contains(path, error.Message);
    }
}
