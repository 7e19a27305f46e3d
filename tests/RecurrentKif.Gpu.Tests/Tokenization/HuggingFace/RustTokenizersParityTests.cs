using RecurrentKif.Gpu.Tokenization;

namespace RecurrentKif.Gpu.Tests.Tokenization.HuggingFace;

/// <summary>
/// The tokenizer.json implementation against Hugging Face's own tokenizers (the Rust library, through
/// Tokenizers.DotNet) on the real Llama-3 and Qwen files: about 200 edge cases and SST-2 inputs, and 400 random
/// mixed-script texts, must give the same ids.
/// </summary>
public sealed class RustTokenizersParityTests(ReferenceTokenizerHolder tokenizers) : IClassFixture<ReferenceTokenizerHolder>
{
    public static TheoryData<string> Names => ["llama3", "qwen3"];

    [Theory]
    [MemberData(nameof(Names))]
    public void Edge_cases_and_sst2_inputs_encode_as_huggingface_does(string name) =>
        AssertSameIds(name, TokenizerTestTexts.All.Where(text => !text.Contains('\0')));

    [Theory]
    [MemberData(nameof(Names))]
    public void Random_mixed_script_texts_encode_as_huggingface_does(string name) =>
        AssertSameIds(name, MixedScriptTexts.Make(400, seed: 7));

    [Theory]
    [MemberData(nameof(Names))]
    public void Huggingface_gives_the_committed_reference_ids_for_the_fixed_text(string name)
    {
        using var huggingFace = new Tokenizers.DotNet.Tokenizer(ReferenceTokenizers.TokenizerJson(ReferenceTokenizers.Folder(name)));
        Assert.Equal(GoldenReferenceIdsTests.ReferenceIds(name), huggingFace.Encode(GoldenReferenceIdsTests.Text).Select(id => (int)id));
    }

    private void AssertSameIds(string name, IEnumerable<string> texts)
    {
        ITextTokenizer ours = tokenizers.ByName(name);
        using var huggingFace = new Tokenizers.DotNet.Tokenizer(ReferenceTokenizers.TokenizerJson(ReferenceTokenizers.Folder(name)));
        int compared = 0;
        foreach (string text in texts)
        {
            int[] expected = huggingFace.Encode(text).Select(id => (int)id).ToArray();
            var actual = ours.Encode(text, addBos: false);
            Assert.True(expected.SequenceEqual(actual),
                $"{name} encodes {Escape(text)}\n  as   [{string.Join(",", actual)}]\n  not  [{string.Join(",", expected)}]");
            compared++;
        }
        Assert.True(compared >= 150, $"only {compared} texts compared");
    }

    private static string Escape(string text) =>
        string.Concat(text.Select(c => c < ' ' || c > '~' ? $"\\u{(int)c:X4}" : c.ToString()));
}
