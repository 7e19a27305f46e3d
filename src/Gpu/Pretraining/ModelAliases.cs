using RecurrentKif.Gpu.BuiltIn;
using RecurrentKif.Gpu.Training;

namespace RecurrentKif.Gpu.Pretraining;

/// <summary>
/// What a <c>model</c> setting names: "builtin" (the embedded default, made in the data root on first use),
/// "benchmark" (the shipped benchmark model) or a model folder. One place, so every command and the pipeline agree.
/// </summary>
public static class ModelAliases
{
    public const string BuiltIn = "builtin";
    public const string Benchmark = BenchmarkModel.Alias;

    /// <summary>The absolute model folder for <paramref name="model"/>.</summary>
    public static string ResolveFolder(string model, string dataRoot, Action<TrainingProgress>? buildProgress = null) => model switch
    {
        BuiltIn => Path.GetFullPath(BuiltInModel.EnsureCreated(dataRoot, progress: buildProgress)),
        Benchmark => BenchmarkModel.ResolveShipped(),
        _ => Path.GetFullPath(model),
    };

    /// <summary>Both models the project makes were pretrained on plain text, so they read prompts without the Alpaca frame best.</summary>
    public static bool IsProjectModel(string model) => model is BuiltIn or Benchmark;
}
