using static TorchSharp.torch;

namespace RecurrentKif.Bench;

/// <summary>The machine's plain matmul rate (fp32 and bf16), measured in the same process and run as the model steps.</summary>
public static class MatmulBaseline
{
    public static double GigaflopsPerSecond(Device device, ScalarType dtype, int size = 2048, int repeats = 6)
    {
        using var a = randn(size, size, dtype: dtype, device: device);
        using var b = randn(size, size, dtype: dtype, device: device);
        double seconds = Stats.MedianSeconds(repeats, () => { using var c = a.matmul(b); }, () => BenchDevice.Sync(device));
        return 2.0 * size * size * size / seconds / 1e9;
    }
}
