using System.Diagnostics;
using System.Text;
using Xunit.Abstractions;

namespace RecurrentKif.Integration.Tests.Attacks;

/// <summary>Two writers on one data root: the second `rkif run` is refused at once; the first completes untouched.</summary>
[Trait("Category", "Attack")]
public sealed class SingleWriterAttackTests(ITestOutputHelper output)
{
    [Fact]
    public void A_second_rkif_run_on_the_same_config_exits_2_at_once_and_the_first_completes()
    {
        using var run = new TinyRun();
        var info = new ProcessStartInfo("dotnet", $"\"{RkifProcess.LauncherDll}\" run \"{run.ConfigPath}\"")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment.Remove("RKIF_FAULT");
        using var first = Process.Start(info)!;
        var firstOutput = new StringBuilder();
        first.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (firstOutput) firstOutput.AppendLine(e.Data); };
        first.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (firstOutput) firstOutput.AppendLine(e.Data); };
        first.BeginOutputReadLine();
        first.BeginErrorReadLine();
        try
        {
            // The first holds the lock once its owner line is written (the first thing `rkif run` does with the root).
            string owner = Path.Combine(run.Root, "data", "rkif.lock.owner");
            var waited = Stopwatch.StartNew();
            while (!(File.Exists(owner) && File.ReadAllText(owner).Contains($"pid {first.Id} ")) && waited.Elapsed < TimeSpan.FromMinutes(2) && !first.HasExited)
                Thread.Sleep(100);
            Assert.True(File.Exists(owner), "the first run never took the data root lock:\n" + firstOutput);

            // Before: nothing locked the root; both processes recovered the same journal and wrote the same checkpoints.
            var clock = Stopwatch.StartNew();
            var second = RkifProcess.Run($"run \"{run.ConfigPath}\"", timeout: TimeSpan.FromMinutes(2));
            double secondSeconds = clock.Elapsed.TotalSeconds;

            bool firstDone = first.WaitForExit(TimeSpan.FromMinutes(20));   // a tiny run, but on two shared, busy cores
            if (!firstDone) first.Kill(entireProcessTree: true);
            first.WaitForExit();
            bool finalKept = File.Exists(run.FinalAdapter);
            bool refused = second.ExitCode == 2 && second.Output.Contains("is in use by another rkif process") && second.Output.Contains($"pid {first.Id}");
            bool pass = refused && secondSeconds < 60 && firstDone && first.ExitCode == 0 && finalKept;
            AttackLog.Case(output, "two rkif run on one config", "second exits 2 at once naming root and pid; first completes with its final adapter",
                $"second: exit {second.ExitCode} after {secondSeconds:F1} s ({(refused ? "lock message" : "no lock message")}); first: {(firstDone ? $"exit {first.ExitCode}" : "did not finish in 20 min")}, final adapter {(finalKept ? "present" : "missing")}", pass);
            Assert.True(refused, second.Output);
            Assert.True(secondSeconds < 60, $"the second run took {secondSeconds:F1} s to be refused");
            Assert.True(firstDone && first.ExitCode == 0, firstOutput.ToString());
            Assert.True(finalKept);
        }
        finally
        {
            if (!first.HasExited) first.Kill(entireProcessTree: true);
        }
    }
}
