using System.CommandLine;
using RecurrentKif.Gpu.BuiltIn;
using RecurrentKif.Gpu.Runtime;
using RecurrentKif.Launcher.Terminal;
using Serilog;

namespace RecurrentKif.Launcher.Commands;

/// <summary>
/// <c>rkif pretrain</c>: builds the built-in model (word-level LLaMA on the built-in tasks' language) into a folder, with
/// its provenance.json (settings, the command, every step's loss). `rkif run` does the same with the defaults on first use.
/// </summary>
public static class PretrainCommand
{
    public static Command Create()
    {
        var defaults = new BuiltInModel.PretrainSettings();
        var output = new Option<string>("--out") { Description = "Model folder to write (replaced if it exists)", Required = true };
        var steps = new Option<int>("--steps") { DefaultValueFactory = _ => defaults.Steps };
        var batchSize = new Option<int>("--batch-size") { DefaultValueFactory = _ => defaults.BatchSize };
        var blockLength = new Option<int>("--block-length") { Description = "Tokens per training row", DefaultValueFactory = _ => defaults.BlockLength };
        var lr = new Option<double>("--lr") { DefaultValueFactory = _ => defaults.LearningRate };
        var warmup = new Option<int>("--warmup-steps") { DefaultValueFactory = _ => defaults.WarmupSteps };
        var seed = new Option<long>("--seed") { DefaultValueFactory = _ => defaults.Seed };
        var threads = CommonOptions.Threads();
        var command = new Command("pretrain", "Pretrain the built-in model from scratch into a folder (config.json, model.safetensors, tokenizer.bin, provenance.json)")
        {
            output, steps, batchSize, blockLength, lr, warmup, seed, threads,
        };
        command.SetAction(parse =>
        {
            var settings = new BuiltInModel.PretrainSettings
            {
                Steps = parse.GetValue(steps), BatchSize = parse.GetValue(batchSize), BlockLength = parse.GetValue(blockLength),
                LearningRate = parse.GetValue(lr), WarmupSteps = parse.GetValue(warmup), Seed = parse.GetValue(seed),
            };
            settings.Validate();
            TorchRuntime.SetThreads(parse.GetValue(threads));
            string folder = Path.GetFullPath(parse.GetValue(output)!);
            BuiltInModel.Build(folder, settings, new ProgressDisplay().Report);
            Log.Information("Wrote the built-in model to {Folder}", folder);
            return 0;
        });
        return command;
    }
}
