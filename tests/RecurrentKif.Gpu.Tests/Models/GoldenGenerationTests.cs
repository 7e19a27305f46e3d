using RecurrentKif.Gpu.Generation;
using RecurrentKif.Gpu.Tokenization;

namespace RecurrentKif.Gpu.Tests.Models;

public sealed class GoldenGenerationTests
{
    // shared/models/stories260k/README.md: greedy decoding from BOS must begin with this text.
    private const string GoldenStart =
        "Once upon a time, there was a little girl named Lily. She loved to play outside in the park. One day, she saw a big, red ball.";

    [Fact]
    public void GreedyDecodingFromBosReproducesThePublishedStory()
    {
        using var model = Stories260k.FromHfFolder();
        var tokenizer = TokenizerLoader.FromModelFolder(SharedFixtures.Stories260k);
        var output = GreedyGenerator.Generate(model, [[tokenizer.BosId]], maxNewTokens: 60, tokenizer.EosId, tokenizer.PadId)[0];
        string text = tokenizer.Decode(output);
        Assert.StartsWith(GoldenStart, text);
    }

    [Fact]
    public void TheLlama2cCheckpointTellsTheSameStory()
    {
        using var model = Stories260k.FromLlama2c();
        var tokenizer = TokenizerLoader.FromModelFolder(SharedFixtures.Stories260k);
        var output = GreedyGenerator.Generate(model, [[tokenizer.BosId]], maxNewTokens: 60, tokenizer.EosId, tokenizer.PadId)[0];
        Assert.StartsWith(GoldenStart, tokenizer.Decode(output));
    }
}
