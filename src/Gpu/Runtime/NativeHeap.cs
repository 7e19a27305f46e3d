using System.Runtime.InteropServices;

namespace RecurrentKif.Gpu.Runtime;

/// <summary>
/// Tunes glibc's malloc, which serves every CPU tensor libtorch allocates, to keep freed memory for the next step
/// instead of handing it back to the kernel. With glibc's defaults a training step's large, short-lived tensors
/// (logits, their reshaped copies, cross-entropy buffers) are mmapped and unmapped, or trimmed off a thread arena's heap,
/// again and again, and every new page is a page fault that zero-fills it: on the built-in model that was 0.3–1.3
/// million faults per 3-task run, which made step time vary by ±25 % between identical runs and cost the actor
/// pipeline more than the plain loop, because its compute thread is not the main thread and so allocates from a thread
/// arena, whose whole heaps glibc deletes when they empty. docs/performance.md ("Native heap") has the measurements.
/// </summary>
/// <remarks>
/// Called once at the start of each process that trains (the rkif launcher, the benchmark). Freed memory stays in the
/// process up to <see cref="TrimThresholdBytes"/> per arena, so the resident size stays near its peak instead of
/// shrinking between steps; the peak itself is unchanged. <c>RKIF_NATIVE_HEAP=system</c> keeps glibc's defaults (for
/// example when jemalloc or tcmalloc is preloaded). On anything but Linux with glibc it does nothing.
/// </remarks>
public static class NativeHeap
{
    /// <summary>The largest mmap threshold glibc accepts on 64-bit: blocks up to this come from the heap and are reused.</summary>
    public const int MmapThresholdBytes = 32 << 20;

    /// <summary>Free memory at the top of a heap below this is kept, not trimmed.</summary>
    public const int TrimThresholdBytes = 512 << 20;

    /// <summary>As large as a thread arena's heap (64 MiB), so an emptied heap is kept rather than deleted, and heaps grow in large steps.</summary>
    public const int TopPadBytes = 64 << 20;

    private const int MTrimThreshold = -1, MTopPad = -2, MMmapThreshold = -3;

    private static int _applied;

    /// <summary>What was done, for the log: null when the process keeps glibc's defaults or this is not glibc.</summary>
    public static string? Applied { get; private set; }

    public static void KeepFreedMemory()
    {
        if (Interlocked.Exchange(ref _applied, 1) == 1) return;
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("RKIF_NATIVE_HEAP") == "system") return;
        try
        {
            // Setting the mmap threshold also turns off glibc's dynamic threshold, which moved with the allocation history.
            bool ok = mallopt(MMmapThreshold, MmapThresholdBytes) == 1
                      & mallopt(MTrimThreshold, TrimThresholdBytes) == 1
                      & mallopt(MTopPad, TopPadBytes) == 1;
            Applied = ok ? $"glibc malloc keeps freed memory (mmap threshold {MmapThresholdBytes >> 20} MiB, trim threshold {TrimThresholdBytes >> 20} MiB, top pad {TopPadBytes >> 20} MiB)" : null;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            // Not glibc (musl has no mallopt): its allocator keeps its own defaults.
        }
    }

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int mallopt(int parameter, int value);
}
