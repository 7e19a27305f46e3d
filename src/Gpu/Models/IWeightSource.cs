using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Models;

/// <summary>Named tensors in Hugging Face naming, loaded one at a time (a folder of shards, or an in-memory dict).</summary>
public interface IWeightSource
{
    /// <summary>Where the weights come from, for error messages.</summary>
    string Description { get; }
    IReadOnlyCollection<string> Names { get; }
    /// <summary>Returns a new CPU tensor that the caller owns.</summary>
    Tensor Load(string name, ScalarType dtype);
}
