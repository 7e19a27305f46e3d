using RecurrentKif.Gpu.Models;
using RecurrentKif.Gpu.Runtime;
using RecurrentKif.Gpu.Tokenization;
using RecurrentKif.Gpu.Training;
using Serilog;
using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Pretraining;

/// <summary>
/// A model setting ("builtin", "benchmark" or a folder) loaded with its tokenizer: the one way every command
/// (the Launcher's commands) and the pipeline's ModelHost load a model, so both refuse the same folders.
/// </summary>
public sealed class ResolvedModel : IDisposable
{
    public required string Folder { get; init; }
    public required ILanguageModel Model { get; init; }
    public required ITextTokenizer Tokenizer { get; init; }

    /// <param name="model">The <c>model</c> setting (<see cref="ModelAliases"/>).</param>
    /// <param name="buildProgress">Progress of pretraining the built-in model when it is missing or stale.</param>
    public static ResolvedModel Open(string model, string dataRoot, string device, bool bf16, int threads, Action<TrainingProgress>? buildProgress = null)
    {
        TorchRuntime.SetThreads(threads);
        string folder = ModelAliases.ResolveFolder(model, dataRoot, buildProgress);
        var resolvedDevice = TorchRuntime.ResolveDevice(device);
        var tokenizer = TokenizerLoader.FromModelFolder(folder);
        var loaded = ModelLoader.LoadFolder(folder, bf16 ? ScalarType.BFloat16 : ScalarType.Float32, resolvedDevice);
        // A piece id past the embedding table would index out of range mid-run, far from its cause.
        if (tokenizer.VocabSize > loaded.VocabSize)
        {
            loaded.Dispose();
            throw new ModelLoadException($"{folder}: the tokenizer has {tokenizer.VocabSize} pieces but the model only {loaded.VocabSize} embeddings");
        }
        Log.Information("Model {Folder}: {Family}, {Parameters:N0} parameters, {Dtype} on {Device}",
            folder, loaded.Family, loaded.ParameterCount, bf16 ? "bf16" : "fp32", resolvedDevice);
        return new ResolvedModel { Folder = folder, Model = loaded, Tokenizer = tokenizer };
    }

    public void Dispose() => Model.Dispose();
}
