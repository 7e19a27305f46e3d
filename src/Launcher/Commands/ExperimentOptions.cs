using System.CommandLine;
using RecurrentKif.Gpu.Continual;

namespace RecurrentKif.Launcher.Commands;

/// <summary>
/// The options of <c>rkif experiment</c>. Without <c>--config</c> the hyperparameter flags and their defaults (the
/// official code's, LLaMA backbone) define the runs; with it, the file does and only flags given explicitly override.
/// </summary>
public sealed class ExperimentOptions
{
    public ModelOptions Model { get; } = new();
    public Option<string?> Config { get; } = new("--config") { Description = "Run configuration (HOCON, as for `rkif run`): base settings, tasks and model; explicitly given flags override it" };
    public Option<string[]> Set { get; } = RunCommand.SetOption();
    public Option<long> Seed { get; } = CommonOptions.Seed();
    public Option<string?> Seeds { get; } = new("--seeds") { Description = "Comma-separated seeds, e.g. 1,2,3: every variant runs once per seed (LoRA init, data order, memory); the task data stays that of the base seed" };
    public Option<string> Order { get; } = new("--order") { Description = $"Task order ({string.Join(", ", TaskOrders.Names)}) or a comma-separated task list", DefaultValueFactory = _ => "builtin-short" };
    public Option<string?> Benchmark { get; } = new("--benchmark") { Description = "standard or long: run the benchmark's named orders (--orders) and write benchmark.md/json/html beside the paper's numbers; not with --order" };
    public Option<string?> Orders { get; } = new("--orders") { Description = "With --benchmark: comma-separated order numbers, e.g. 1,2,3 (the default) for standard-1..3 or long-1..3" };
    public Option<string?> Data { get; } = new("--data") { Description = "Benchmark folder with {train,dev,test}/<task>.json (default: the built-in tasks)" };
    public Option<string> Methods { get; } = new("--methods") { Description = "Comma-separated: RecurrentKif, SeqLora, Replay, StaticImportance, MultiTask, ComputeMatchedReplay, or 'all'", DefaultValueFactory = _ => "all" };
    public Option<string?> OuterModes { get; } = new("--outer-modes") { Description = "Comma-separated outer modes (Frozen, SharedInnerAdam, SeparateAdamW): RecurrentKif and ComputeMatchedReplay run once per mode (default: --outer-mode)" };
    public Option<string> Ablations { get; } = new("--ablations") { Description = "Comma-separated Recurrent-KIF ablations run with the first outer mode: none, -KI, +GM, -DIE, -Share, +Adaptive", DefaultValueFactory = _ => "none" };
    public Option<int> TrainPerTask { get; } = new("--train-per-task") { Description = "Training examples per task (0 = all)", DefaultValueFactory = _ => 0 };
    public Option<int> DevPerTask { get; } = new("--dev-per-task") { Description = "Dev examples per task (0 = all)", DefaultValueFactory = _ => 0 };
    public Option<int> EvalPerTask { get; } = new("--eval-per-task") { Description = "Evaluation examples per task (0 = all)", DefaultValueFactory = _ => 0 };
    public Option<int> MaxInputWords { get; } = new("--max-input-words") { Description = "Words kept of each input (its first words, then its Answer: line); 0 = all", DefaultValueFactory = _ => 0 };
    public Option<int> Epochs { get; } = new("--epochs") { DefaultValueFactory = _ => 10 };
    public Option<int> BatchSize { get; } = new("--batch-size") { DefaultValueFactory = _ => 64 };
    public Option<int> MicroBatchSize { get; } = new("--micro-batch-size") { DefaultValueFactory = _ => 16 };
    public Option<double> LearningRate { get; } = new("--lr") { DefaultValueFactory = _ => 3e-4 };
    public Option<int> Warmup { get; } = new("--warmup-steps") { DefaultValueFactory = _ => 50 };
    public Option<int> Cutoff { get; } = new("--cutoff") { DefaultValueFactory = _ => 512 };
    public Option<bool> KeepAnswer { get; } = new("--keep-answer") { Description = "Truncate over-long prompts from the left instead of cutting the answer (small-context models)" };
    public Option<RecurrentKif.Gpu.Data.PromptTemplate> PromptTemplate { get; } = new("--prompt-template") { Description = "Alpaca (official LLaMA code) or Plain (instruction + input, then the answer)", DefaultValueFactory = _ => RecurrentKif.Gpu.Data.PromptTemplate.Alpaca };
    public Option<int> Q { get; } = new("--q") { Description = "Inner steps per cycle", DefaultValueFactory = _ => 8 };
    public Option<int> OuterSteps { get; } = new("--outer-steps") { DefaultValueFactory = _ => 4 };
    public Option<int> OuterBatch { get; } = new("--outer-batch") { DefaultValueFactory = _ => 64 };
    public Option<OuterUpdateMode> OuterMode { get; } = new("--outer-mode") { Description = "Frozen (LLaMA code), SharedInnerAdam (T5 code), SeparateAdamW (intent)", DefaultValueFactory = _ => OuterUpdateMode.Frozen };
    public Option<double> OuterLearningRate { get; } = new("--outer-lr") { Description = "Learning rate of the SeparateAdamW outer optimizer", DefaultValueFactory = _ => 1e-3 };
    public Option<FusionRule> Fusion { get; } = new("--fusion") { Description = "Code (1/0, 0/1, 0.4/0.6, 0.5/0.5), PaperBinary or Adaptive", DefaultValueFactory = _ => FusionRule.Code };
    public Option<double> MemoryRatio { get; } = new("--memory-ratio") { DefaultValueFactory = _ => 0.02 };
    public Option<int> EvalEvery { get; } = new("--eval-every") { DefaultValueFactory = _ => 40 };
    public Option<string?> Output { get; } = new("--out") { Description = "Folder for experiment.json, comparison.md and experiment.html, with --benchmark one subfolder per order plus benchmark.md/json/html (default: <data-root>/experiments/<order or benchmark>-<time>)" };

    public void AddTo(Command command)
    {
        foreach (Option option in new Option[]
                 {
                     Config, Set, Seed, Seeds, Order, Benchmark, Orders, Data, Methods, OuterModes, Ablations, TrainPerTask, DevPerTask, EvalPerTask, MaxInputWords, Epochs, BatchSize,
                     MicroBatchSize, LearningRate, Warmup, Cutoff, KeepAnswer, PromptTemplate, Q, OuterSteps, OuterBatch, OuterMode, OuterLearningRate, Fusion, MemoryRatio, EvalEvery, Output,
                 })
            command.Add(option);
        Model.AddTo(command);
    }
}
