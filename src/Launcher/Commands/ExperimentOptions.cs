using System.CommandLine;
using RecurrentKif.Gpu.Continual;

namespace RecurrentKif.Launcher.Commands;

/// <summary>
/// The options of <c>rkif experiment</c>. The settings are read as <c>rkif run</c> reads them: hocon/reference.conf,
/// then the <c>--config</c> file if any, then <c>--set</c>, then the hyperparameter flags, each a shorthand for one key
/// (<see cref="SettingFlags"/>; its help names the key). No flag has a default of its own.
/// </summary>
public sealed class ExperimentOptions
{
    public ExperimentOptions()
    {
        Model = new ModelOptions(Flags);
        Seed = Flags.Add(CommonOptions.Seed(withDefault: false), "seed");
        Order = Flags.Add(new Option<string>("--order") { Description = $"Task order ({string.Join(", ", TaskOrders.Names)}) or a comma-separated task list" }, "tasks.order");
        Data = Flags.Add(new Option<string>("--data") { Description = "Benchmark folder with {train,dev,test}/<task>.json, or builtin for the built-in tasks" }, "tasks.source");
        TrainPerTask = Flags.Add(new Option<int>("--train-per-task") { Description = "Training examples per task (0 = all)" }, "tasks.train-per-task");
        DevPerTask = Flags.Add(new Option<int>("--dev-per-task") { Description = "Dev examples per task (0 = all)" }, "tasks.dev-per-task");
        EvalPerTask = Flags.Add(new Option<int>("--eval-per-task") { Description = "Evaluation examples per task (0 = all)" }, "tasks.eval-per-task");
        MaxInputWords = Flags.Add(new Option<int>("--max-input-words") { Description = "Words kept of each input (its first words, then its Answer: line); 0 = all" }, "tasks.max-input-words");
        Epochs = Flags.Add(new Option<int>("--epochs"), "training.epochs");
        BatchSize = Flags.Add(new Option<int>("--batch-size"), "training.batch-size");
        MicroBatchSize = Flags.Add(new Option<int>("--micro-batch-size"), "training.micro-batch-size");
        LearningRate = Flags.Add(new Option<double>("--lr"), "training.learning-rate");
        Warmup = Flags.Add(new Option<int>("--warmup-steps"), "training.warmup-steps");
        Cutoff = Flags.Add(new Option<int>("--cutoff"), "training.cutoff");
        KeepAnswer = Flags.Add(new Option<bool>("--keep-answer") { Description = "Truncate over-long prompts from the left instead of cutting the answer (small-context models)" }, "training.keep-answer");
        PromptTemplate = Flags.Add(new Option<RecurrentKif.Gpu.Data.PromptTemplate>("--prompt-template") { Description = "Alpaca (official LLaMA code) or Plain (instruction + input, then the answer)" }, "training.prompt-template");
        Q = Flags.Add(new Option<int>("--q") { Description = "Inner steps per cycle" }, "kif.inner-steps");
        OuterSteps = Flags.Add(new Option<int>("--outer-steps"), "kif.outer-steps");
        OuterBatch = Flags.Add(new Option<int>("--outer-batch"), "kif.outer-batch-size");
        OuterMode = Flags.Add(new Option<OuterUpdateMode>("--outer-mode") { Description = "Frozen (LLaMA code), SharedInnerAdam (T5 code), SeparateAdamW (intent)" }, "kif.outer-update");
        OuterLearningRate = Flags.Add(new Option<double>("--outer-lr") { Description = "Learning rate of the SeparateAdamW outer optimizer" }, "kif.outer-learning-rate");
        Fusion = Flags.Add(new Option<FusionRule>("--fusion") { Description = "Code (1/0, 0/1, 0.4/0.6, 0.5/0.5), PaperBinary or Adaptive" }, "kif.fusion");
        Quantile = Flags.Add(new Option<double>("--quantile") { Description = "Masks keep the importance scores above this quantile (0.8 = top 20 %)" }, "kif.quantile");
        MemoryRatio = Flags.Add(new Option<double>("--memory-ratio"), "memory-ratio");
        EvalEvery = Flags.Add(new Option<int>("--eval-every"), "eval-every");
    }

    /// <summary>The flags that stand for rkif.* keys.</summary>
    public SettingFlags Flags { get; } = new();
    public ModelOptions Model { get; }
    public Option<string?> Config { get; } = new("--config") { Description = "Run configuration (HOCON, as for `rkif run`): base settings, tasks and model over hocon/reference.conf; --set and the flags below override it" };
    public Option<string[]> Set { get; } = RunCommand.SetOption();
    public Option<long> Seed { get; }
    public Option<string?> Seeds { get; } = new("--seeds") { Description = "Comma-separated seeds, e.g. 1,2,3: every variant runs once per seed (LoRA init, data order, memory); the task data stays that of the base seed" };
    public Option<string> Order { get; }
    public Option<string?> Benchmark { get; } = new("--benchmark") { Description = "standard or long: run the benchmark's named orders (--orders) and write benchmark.md/json/html beside the paper's numbers; not with --order" };
    public Option<string?> Orders { get; } = new("--orders") { Description = "With --benchmark: comma-separated order numbers, e.g. 1,2,3 (the default) for standard-1..3 or long-1..3" };
    public Option<string> Data { get; }
    public Option<string> Methods { get; } = new("--methods") { Description = "Comma-separated: RecurrentKif, SeqLora, Replay, StaticImportance, MultiTask, ComputeMatchedReplay, or 'all'", DefaultValueFactory = _ => "all" };
    public Option<string?> OuterModes { get; } = new("--outer-modes") { Description = "Comma-separated outer modes (Frozen, SharedInnerAdam, SeparateAdamW): RecurrentKif and ComputeMatchedReplay run once per mode (default: the configured kif.outer-update)" };
    public Option<string> Ablations { get; } = new("--ablations") { Description = "Comma-separated Recurrent-KIF ablations run with the first outer mode: none, -KI, +GM, -DIE, -Share, +Adaptive", DefaultValueFactory = _ => "none" };
    public Option<int> TrainPerTask { get; }
    public Option<int> DevPerTask { get; }
    public Option<int> EvalPerTask { get; }
    public Option<int> MaxInputWords { get; }
    public Option<int> Epochs { get; }
    public Option<int> BatchSize { get; }
    public Option<int> MicroBatchSize { get; }
    public Option<double> LearningRate { get; }
    public Option<int> Warmup { get; }
    public Option<int> Cutoff { get; }
    public Option<bool> KeepAnswer { get; }
    public Option<RecurrentKif.Gpu.Data.PromptTemplate> PromptTemplate { get; }
    public Option<int> Q { get; }
    public Option<int> OuterSteps { get; }
    public Option<int> OuterBatch { get; }
    public Option<OuterUpdateMode> OuterMode { get; }
    public Option<double> OuterLearningRate { get; }
    public Option<FusionRule> Fusion { get; }
    public Option<double> Quantile { get; }
    public Option<double> MemoryRatio { get; }
    public Option<int> EvalEvery { get; }
    public Option<string?> Output { get; } = new("--out") { Description = "Folder for experiment.json, comparison.md and experiment.html, with --benchmark one subfolder per order plus benchmark.md/json/html (default: <data-root>/experiments/<order or benchmark>-<time>)" };

    public void AddTo(Command command)
    {
        foreach (Option option in new Option[]
                 {
                     Config, Set, Seed, Seeds, Order, Benchmark, Orders, Data, Methods, OuterModes, Ablations, TrainPerTask, DevPerTask, EvalPerTask, MaxInputWords, Epochs, BatchSize,
                     MicroBatchSize, LearningRate, Warmup, Cutoff, KeepAnswer, PromptTemplate, Q, OuterSteps, OuterBatch, OuterMode, OuterLearningRate, Fusion, Quantile, MemoryRatio, EvalEvery, Output,
                 })
            command.Add(option);
        Model.AddTo(command);
    }
}
