using RecurrentKif.Gpu.Models;
using RecurrentKif.Gpu.Pretraining;
using RecurrentKif.Gpu.Runtime;
using RecurrentKif.Gpu.Tokenization;
using RecurrentKif.Launcher.Terminal;
using Serilog;
using static TorchSharp.torch;

namespace RecurrentKif.Launcher.Commands;

/// <summary>A loaded model with its tokenizer, resolved from a folder, 'builtin' (built on first use) or 'benchmark' (shipped).</summary>
public sealed class ModelSession : IDisposable
{
    public required string Folder { get; init; }
    public required ILanguageModel Model { get; init; }
    public required ITextTokenizer Tokenizer { get; init; }

    public static ModelSession Open(string model, string dataRoot, string device, bool bf16, int threads)
    {
        TorchRuntime.SetThreads(threads);
        string folder = ModelAliases.ResolveFolder(model, dataRoot, new ProgressDisplay().Report);
        var resolvedDevice = TorchRuntime.ResolveDevice(device);
        var tokenizer = TokenizerLoader.FromModelFolder(folder);
        var loaded = ModelLoader.LoadFolder(folder, bf16 ? ScalarType.BFloat16 : ScalarType.Float32, resolvedDevice);
        if (tokenizer.VocabSize > loaded.VocabSize)
        {
            loaded.Dispose();
            throw new ModelLoadException($"{folder}: the tokenizer has {tokenizer.VocabSize} pieces but the model only {loaded.VocabSize} embeddings");
        }
        Log.Information("Model {Folder}: {Family}, {Parameters:N0} parameters, {Dtype} on {Device}",
            folder, loaded.Family, loaded.ParameterCount, bf16 ? "bf16" : "fp32", resolvedDevice);
        return new ModelSession { Folder = folder, Model = loaded, Tokenizer = tokenizer };
    }

    public void Dispose() => Model.Dispose();
}
