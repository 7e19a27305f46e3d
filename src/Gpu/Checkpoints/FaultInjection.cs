using System.Diagnostics;

namespace RecurrentKif.Gpu.Checkpoints;

/// <summary>
/// Crash points for the crash-safety tests, off unless RKIF_FAULT is set: "checkpoint-write:N" kills the process
/// (SIGKILL) half-way through the N-th checkpoint write, "step:N" right after the N-th optimizer step of the process,
/// "after-task:N" right after the N-th task trained by the process is journaled, before its evaluation;
/// "outer-nan:N" makes the N-th outer (memory) step's loss NaN, once, to test that it is rolled back like an inner one.
/// A real user never sets it.
/// </summary>
public static class FaultInjection
{
    private static readonly (string Point, int Count)? Fault = Parse(Environment.GetEnvironmentVariable("RKIF_FAULT"));
    private static readonly Dictionary<string, int> Seen = [];

    /// <summary>Counts one occurrence of <paramref name="point"/> and kills the process when it is the configured one.</summary>
    public static void At(string point)
    {
        if (Fault is not { } fault || fault.Point != point) return;
        lock (Seen)
        {
            int seen = Seen[point] = Seen.GetValueOrDefault(point) + 1;
            if (seen != fault.Count) return;
        }
        Console.Error.WriteLine($"RKIF_FAULT: killing the process at {point} #{fault.Count}");
        Console.Error.Flush();
        Process.GetCurrentProcess().Kill();
        Thread.Sleep(Timeout.Infinite);
    }

    /// <summary>Counts one occurrence of <paramref name="point"/>; true when it is the configured one (the caller then misbehaves).</summary>
    public static bool Fires(string point)
    {
        if (Fault is not { } fault || fault.Point != point) return false;
        lock (Seen) return (Seen[point] = Seen.GetValueOrDefault(point) + 1) == fault.Count;
    }

    /// <summary>Whether the configured fault is the given point (writers use it to stop half-way).</summary>
    public static bool IsArmed(string point) => Fault?.Point == point;

    private static (string, int)? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var parts = text.Split(':');
        return parts.Length == 2 && int.TryParse(parts[1], out int count) ? (parts[0], count) : throw new ArgumentException($"RKIF_FAULT '{text}' is not <point>:<count>");
    }
}
