using RecurrentKif.Gpu.Models;
using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Tests.Models;

/// <summary>Loads the shared stories260k fixture in its two forms.</summary>
public static class Stories260k
{
    public static LlamaForCausalLM FromHfFolder(ScalarType dtype = ScalarType.Float32) =>
        LlamaLoader.LoadFolder(SharedFixtures.Stories260k, dtype, CPU);

    public static LlamaForCausalLM FromLlama2c()
    {
        var (config, weights) = Llama2cCheckpoint.Read(Path.Combine(SharedFixtures.Stories260k, "llama2c-checkpoint.bin"));
        using (weights) return LlamaLoader.FromWeights(config, weights, ScalarType.Float32, CPU);
    }

    /// <summary>A fixed batch of token ids (ids 3..258 are byte pieces, so any ids &lt; 512 are valid).</summary>
    public static Tensor SampleIds(int batch = 2, int length = 24, int seed = 7)
    {
        var random = new Random(seed);
        var ids = new long[batch * length];
        for (int i = 0; i < ids.Length; i++) ids[i] = i % length == 0 ? 1 : random.Next(3, 512);
        return tensor(ids, [batch, length]);
    }
}
