using System.Diagnostics;
using static TorchSharp.torch;

namespace RecurrentKif.Bench;

/// <summary>The machine's plain fp32 matmul rate, measured in the same process and run as the model steps.</summary>
public static class MatmulBaseline
{
    public static double GigaflopsPerSecond(Device device, int size = 2048, int repeats = 8)
    {
        using var a = randn(size, size, device: device);
        using var b = randn(size, size, device: device);
        for (int i = 0; i < 2; i++) using (var warm = a.matmul(b)) { }
        var times = new List<double>();
        for (int i = 0; i < repeats; i++)
        {
            var clock = Stopwatch.StartNew();
            using var c = a.matmul(b);
            if (device.type == TorchSharp.DeviceType.CUDA) cuda.synchronize();
            times.Add(clock.Elapsed.TotalSeconds);
        }
        return 2.0 * size * size * size / Median(times) / 1e9;
    }

    public static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
