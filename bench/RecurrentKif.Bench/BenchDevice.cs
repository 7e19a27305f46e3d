using RecurrentKif.Gpu.Runtime;
using static TorchSharp.torch;

namespace RecurrentKif.Bench;

/// <summary>The device a child measures on, its thread setting, and the wait that makes GPU timings honest.</summary>
public static class BenchDevice
{
    public static Device Resolve(ChildArguments arguments)
    {
        TorchRuntime.SetThreads(arguments.Int("threads", 0));
        return TorchRuntime.ResolveDevice(arguments.Get("device", "cpu"));
    }

    /// <summary>Waits for queued GPU work (CUDA runs asynchronously); nothing to wait for on CPU.</summary>
    public static void Sync(Device device)
    {
        if (device.type == TorchSharp.DeviceType.CUDA) cuda.synchronize();
    }
}
