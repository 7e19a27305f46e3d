namespace RecurrentKif.Integration.Tests;

/// <summary>
/// <c>rkif train</c> reads its settings as <c>rkif run</c> does: hocon/reference.conf, <c>--config</c>, <c>--set</c>, then
/// the flags, each a shorthand for one key.
/// </summary>
public sealed class TrainCommandSettingsTests
{
    [Fact]
    public void FlagsAndSetReachTheirKeys()
    {
        foreach (var (arguments, key) in new[]
                 {
                     ("--set lora.r=0", "rkif.lora.r"),
                     ("--lora-r 0", "rkif.lora.r"),
                     ("--lr 0", "rkif.training.learning-rate"),
                     ("--lora-targets ,", "rkif.lora.target-modules"),
                     ("--set training.learning-rate=0.002 --lr 0", "rkif.training.learning-rate"),
                 })
        {
            // Refused at start-up: a minute is ample, and a value that got through fails the test instead of training.
            var refused = RkifProcess.Run($"train {arguments}", timeout: TimeSpan.FromMinutes(1));
            Assert.True(refused.ExitCode != 0, $"{arguments}\n{refused.Output}");
            Assert.Contains(key, refused.Output, StringComparison.Ordinal);
        }
        var help = RkifProcess.Run("train --help");
        Assert.Equal(0, help.ExitCode);
        foreach (string key in new[] { "rkif.training.learning-rate", "rkif.training.epochs", "rkif.lora.target-modules", "rkif.logging.tensorboard" })
            Assert.Contains($"sets {key})", help.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void TheFlagsSizeTheTraining()
    {
        string root = Directory.CreateTempSubdirectory("rkif-train-settings").FullName;
        try
        {
            // 8 examples in steps of 4 for 1 epoch: 2 steps. reference.conf alone (batch 64 of micro-batches of 16, 10 epochs)
            // would give none, so the count shows the flags reached training.epochs and the batch sizes.
            var result = RkifProcess.Run(
                $"train --data-root \"{Path.Combine(root, "data")}\" --device cpu --threads 2 --task review --train-examples 8 --eval-examples 2 " +
                $"--epochs 1 --batch-size 4 --micro-batch-size 4 --set training.warmup-steps=1 --out \"{Path.Combine(root, "adapter")}\"");
            Assert.True(result.ExitCode == 0, result.Output);
            Assert.Contains("optimizer steps   2", result.Output, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(root, "adapter", "adapter_model.safetensors")), result.Output);
        }
        finally
        {
            try { Directory.Delete(root, recursive: true); } catch (IOException) { }
        }
    }
}
