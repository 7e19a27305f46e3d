using System.CommandLine;
using RecurrentKif.Gpu.BuiltIn;
using RecurrentKif.Gpu.Pretraining;
using RecurrentKif.Gpu.Runtime;
using RecurrentKif.Launcher.Terminal;
using Serilog;

namespace RecurrentKif.Launcher.Commands;

/// <summary>
/// <c>rkif pretrain</c>: builds one of the models the project makes itself into a folder, with its provenance.json
/// (settings, the command, every step's loss). Without <c>--data</c> it is the built-in model (word-level LLaMA on the
/// built-in tasks' language; `rkif run` does the same on first use); with <c>--data &lt;benchmark folder&gt;</c> it is
/// the benchmark model (byte-pair tokenizer and LLaMA learnt from that folder's train/*.json input text).
/// Unset flags take the chosen model's defaults (the settings its shipped weights were built with).
/// </summary>
public static class PretrainCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "Model folder to write (replaced if it exists)", Required = true };
        var data = new Option<string?>("--data") { Description = "Benchmark folder with train/<task>.json: build the benchmark model from its input text (default: the built-in model)" };
        var vocabSize = new Option<int>("--vocab-size") { Description = "Byte-pair vocabulary size of the benchmark model", DefaultValueFactory = _ => BenchmarkModel.DefaultVocabularySize };
        var steps = new Option<int?>("--steps");
        var batchSize = new Option<int?>("--batch-size");
        var blockLength = new Option<int?>("--block-length") { Description = "Tokens per training row" };
        var lr = new Option<double?>("--lr");
        var warmup = new Option<int?>("--warmup-steps");
        var seed = new Option<long?>("--seed");
        var stopAfter = new Option<int>("--stop-after") { Description = "Stop after this many steps, schedule unchanged (to replay the start of a recorded run)" };
        var threads = CommonOptions.Threads();
        var command = new Command("pretrain", "Pretrain the built-in model, or with --data the benchmark model, from scratch into a folder (config.json, model.safetensors, tokenizer.bin, provenance.json)")
        {
            output, data, vocabSize, steps, batchSize, blockLength, lr, warmup, seed, stopAfter, threads,
        };
        command.SetAction(parse =>
        {
            string? dataFolder = parse.GetValue(data);
            var defaults = dataFolder is null ? BuiltInModel.DefaultSettings : BenchmarkModel.DefaultSettings;
            var settings = new PretrainSettings
            {
                Steps = parse.GetValue(steps) ?? defaults.Steps,
                BatchSize = parse.GetValue(batchSize) ?? defaults.BatchSize,
                BlockLength = parse.GetValue(blockLength) ?? defaults.BlockLength,
                LearningRate = parse.GetValue(lr) ?? defaults.LearningRate,
                WarmupSteps = parse.GetValue(warmup) ?? defaults.WarmupSteps,
                Seed = parse.GetValue(seed) ?? defaults.Seed,
                StopAfter = parse.GetValue(stopAfter),
            };
            TorchRuntime.SetThreads(parse.GetValue(threads));
            string folder = Path.GetFullPath(parse.GetValue(output)!);
            var progress = new ProgressDisplay();
            if (dataFolder is null)
            {
                settings.Validate(BuiltInModel.Config.MaxPositionEmbeddings);
                BuiltInModel.Build(folder, settings, progress.Report);
                Log.Information("Wrote the built-in model to {Folder}", folder);
            }
            else
            {
                BenchmarkModel.Build(folder, Path.GetFullPath(dataFolder), settings, parse.GetValue(vocabSize), progress.Report);
                Log.Information("Wrote the benchmark model (from {Data}) to {Folder}", dataFolder, folder);
            }
            return 0;
        });
        return command;
    }
}
