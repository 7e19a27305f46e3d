using RecurrentKif.Gpu.Runtime;

namespace RecurrentKif.Gpu.Tests.Runtime;

/// <summary>
/// NativeHeap's settings are accepted by glibc (mallopt answers 1 for each: a value past glibc's limit, such as an mmap
/// threshold over 32 MiB, would be refused and leave the defaults). Its effect on step time is measured by the pipeline
/// benchmark (minor page faults and work seconds), not here.
/// </summary>
public sealed class NativeHeapTests
{
    [Fact]
    public void Glibc_takes_every_setting_and_a_second_call_changes_nothing()
    {
        NativeHeap.KeepFreedMemory();
        string? applied = NativeHeap.Applied;
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("RKIF_NATIVE_HEAP") == "system")
        {
            Assert.Null(applied);   // elsewhere, or opted out, the allocator keeps its defaults
            return;
        }
        Assert.NotNull(applied);
        Assert.Contains("mmap threshold 32 MiB", applied, StringComparison.Ordinal);
        NativeHeap.KeepFreedMemory();
        Assert.Same(applied, NativeHeap.Applied);
    }
}
