using RecurrentKif.Actors.Pipeline;
using RecurrentKif.Actors.Settings;
using RecurrentKif.Gpu.Models;
using RecurrentKif.Gpu.Pretraining;
using RecurrentKif.Gpu.Tests.Models.T5;
using RecurrentKif.Gpu.Tests.Tokenization;

namespace RecurrentKif.Integration.Tests;

/// <summary>
/// The commands (<c>rkif train</c>, <c>generate</c>, <c>eval</c>, <c>experiment</c>: <see cref="ResolvedModel"/>) and the
/// pipeline (<see cref="ModelHost"/>) load a model the same way, and both refuse a tokenizer with more pieces than the
/// model has embeddings. The model is a tiny random T5 with a character-level spiece.model of its own.
/// </summary>
public sealed class ModelVocabularyTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("rkif-vocab-model").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    private void WriteModel(int vocab)
    {
        var spec = new TinyT5Spec { Vocab = vocab, DModel = 32, DKv = 8, Heads = 4, DFf = 48, EncoderLayers = 1, DecoderLayers = 1 };
        foreach (var t in TinyT5.Write(_folder, spec).Values) t.Dispose();
        CharacterT5Spiece.WriteInto(_folder);
    }

    [Fact]
    public void Both_loaders_refuse_a_tokenizer_larger_than_the_embedding_table()
    {
        // tokenizer_config.json says extra_ids = 0: the tokenizer has exactly the spiece.model's pieces, one too many.
        WriteModel(CharacterT5Spiece.PieceCount - 1);
        using var tiny = new TinyRun(model: _folder);
        var run = RunConfigurationLoader.Load(tiny.ConfigPath);

        var commands = Assert.Throws<ModelLoadException>(() => ResolvedModel.Open(run.Model, run.DataRoot, "cpu", bf16: false, threads: 1));
        var pipeline = Assert.Throws<ModelLoadException>(() => new ModelHost(run));
        foreach (var error in new[] { commands, pipeline })
        {
            Assert.Contains(_folder, error.Message, StringComparison.Ordinal);
            Assert.Contains($"{CharacterT5Spiece.PieceCount} pieces", error.Message, StringComparison.Ordinal);
            Assert.Contains($"{CharacterT5Spiece.PieceCount - 1} embeddings", error.Message, StringComparison.Ordinal);
        }

        // And through a command line, which prints the one line instead of a stack trace.
        var generate = RkifProcess.Run($"generate --model \"{_folder}\" --device cpu --threads 1 --prompt x --max-new-tokens 1");
        Assert.NotEqual(0, generate.ExitCode);
        Assert.Contains("embeddings", generate.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Both_loaders_take_a_model_whose_table_covers_the_tokenizer()
    {
        WriteModel(CharacterT5Spiece.PieceCount);
        using var tiny = new TinyRun(model: _folder);
        var run = RunConfigurationLoader.Load(tiny.ConfigPath);

        using (var opened = ResolvedModel.Open(run.Model, run.DataRoot, "cpu", bf16: false, threads: 1))
        {
            Assert.Equal(CharacterT5Spiece.PieceCount, opened.Tokenizer.VocabSize);
            Assert.Equal(Path.GetFullPath(_folder), opened.Folder);
        }
        using var host = new ModelHost(run);
        Assert.Equal(Path.GetFullPath(_folder), host.ModelFolder);
        Assert.Equal(CharacterT5Spiece.PieceCount, host.Tokenizer.VocabSize);
    }
}
