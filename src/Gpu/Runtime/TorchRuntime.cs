using static TorchSharp.torch;

namespace RecurrentKif.Gpu.Runtime;

/// <summary>
/// Process-wide TorchSharp settings, chosen once at start-up: the device (CUDA when present, else CPU; RKIF_DEVICE
/// overrides, e.g. "cpu" or "cuda:1"), the CPU thread count, and the global seed for reproducible runs.
/// </summary>
public static class TorchRuntime
{
    public static Device ResolveDevice(string? requested = null)
    {
        string choice = requested ?? Environment.GetEnvironmentVariable("RKIF_DEVICE") ?? "auto";
        if (choice == "auto") return cuda.is_available() ? CUDA : CPU;
        if (choice.StartsWith("cuda", StringComparison.Ordinal) && !cuda.is_available())
            throw new InvalidOperationException(
                $"device '{choice}' was requested but CUDA is not available (this build's libtorch is CPU-only, or no GPU is visible); build with -p:TorchBackend=cuda on a GPU machine");
        return new Device(choice);
    }

    /// <summary>Sets the intra-op thread count (0 keeps libtorch's default, which is the number of cores).</summary>
    public static void SetThreads(int threads)
    {
        if (threads > 0) set_num_threads(threads);
    }

    /// <summary>Seeds libtorch's global generator (LoRA init, dropout) on every device.</summary>
    public static void Seed(long seed)
    {
        manual_seed(seed);
        if (cuda.is_available()) cuda.manual_seed_all(seed);
    }
}
