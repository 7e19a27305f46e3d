using System.Diagnostics;
using System.Text.Json.Nodes;
using RecurrentKif.Gpu.Checkpoints;
using RecurrentKif.Gpu.Continual;
using RecurrentKif.Gpu.Data;
using RecurrentKif.Gpu.Lora;
using RecurrentKif.Gpu.Models;
using RecurrentKif.Gpu.Runtime;
using RecurrentKif.Gpu.Tokenization;

namespace RecurrentKif.Bench;

/// <summary>
/// Section 5a: the per-cycle commit. Writes the task-session checkpoint of a Recurrent-KIF task in mid-cycle (θ,
/// θ_ref, AdamW state, importance trackers, …: atomic write, fsync, rename, SHA-256) against a plain copy of a file of
/// the same size that is fsynced too; and the in-process restore (hash check, read, load into a fresh session).
/// </summary>
public static class CheckpointBenchmark
{
    public static JsonObject RunChild(ChildArguments arguments)
    {
        var device = BenchDevice.Resolve(arguments);
        int repeats = arguments.Int("repeats", 5);
        var settings = ContinualCostBenchmark.Settings(1);
        string folder = arguments["folder"], work = Directory.CreateTempSubdirectory("rkif-bench-ckpt").FullName;
        try
        {
            var tasks = ContinualCostBenchmark.Tasks(arguments["data"], settings);
            using var model = LlamaLoader.LoadFolder(folder, TorchSharp.torch.ScalarType.Float32, device);
            var tokenizer = TokenizerLoader.FromModelFolder(folder);
            TorchRuntime.Seed(settings.FineTune.Seed);
            var adapter = LoraAdapter.Attach(model, settings.Lora);
            var trainer = new TaskTrainer(model, adapter, new ExampleEncoder(tokenizer, settings.FineTune.Cutoff, settings.FineTune.KeepAnswer),
                settings);
            var plan = new TaskPlanner(tasks, settings).Plan(1);
            using var session = trainer.Start(plan);
            for (int i = 0; i < 3; i++) session.InnerStep();   // optimizer moments, inner importance and θ_ref all exist

            string path = Path.Combine(work, "session.ckpt");
            CheckpointReference reference = TaskSessionCheckpoint.Save(session, path);
            double save = Stats.MedianSeconds(repeats, () => reference = TaskSessionCheckpoint.Save(session, path));
            long bytes = new FileInfo(path).Length;
            string copyTarget = Path.Combine(work, "copy.bin");
            double copy = Stats.MedianSeconds(repeats, () => FsyncedCopy(path, copyTarget));
            double restore = Stats.MedianSeconds(repeats, () =>
            {
                using var fresh = trainer.Start(plan);
                TaskSessionCheckpoint.Restore(fresh, reference);
            });
            double startOnly = Stats.MedianSeconds(repeats, () => { using var fresh = trainer.Start(plan); });
            return new JsonObject
            {
                ["model"] = arguments["model"], ["checkpointBytes"] = bytes, ["loraScalars"] = adapter.ScalarCount,
                ["saveMs"] = save * 1000, ["saveMbPerSecond"] = bytes / save / 1e6,
                ["fsyncedCopyMs"] = copy * 1000, ["fsyncedCopyMbPerSecond"] = bytes / copy / 1e6,
                ["saveOverCopyBandwidth"] = copy / save,
                ["restoreMs"] = (restore - startOnly) * 1000, ["sessionStartMs"] = startOnly * 1000,
            };
        }
        finally { Directory.Delete(work, recursive: true); }
    }

    /// <summary>File.Copy plus an fsync of the copy: the same durability the checkpoint writer pays for.</summary>
    private static void FsyncedCopy(string source, string target)
    {
        File.Copy(source, target, overwrite: true);
        using var stream = new FileStream(target, FileMode.Open, FileAccess.ReadWrite);
        stream.Flush(flushToDisk: true);
    }
}
