using RecurrentKif.Gpu.Pretraining;
using RecurrentKif.Gpu.Continual;
using RecurrentKif.Gpu.Data;
using RecurrentKif.Gpu.Lora;
using RecurrentKif.Gpu.Models;
using RecurrentKif.Gpu.Runtime;
using RecurrentKif.Gpu.Tokenization;
using RecurrentKif.Actors.Settings;

namespace RecurrentKif.Actors.Pipeline;

/// <summary>
/// The node's model replica: frozen base, tokenizer and the one LoRA adapter, seeded and attached exactly as the
/// plain loop does (seed, then attach), so a pipeline run and a library run start from the same θ. The learner and
/// the evaluator use it in turn (the coordinator never runs them at the same time), so weights are held once.
/// </summary>
public sealed class ModelHost : IDisposable
{
    public ILanguageModel Model { get; }
    public ITextTokenizer Tokenizer { get; }
    public LoraAdapter Adapter { get; }
    public IExampleEncoder Encoder { get; }
    public string ModelFolder { get; }

    public ModelHost(RunConfiguration run, Action<RecurrentKif.Gpu.Training.TrainingProgress>? buildProgress = null)
    {
        var resolved = ResolvedModel.Open(run.Model, run.DataRoot, run.Device, run.Bf16, run.Threads, buildProgress);
        (ModelFolder, Tokenizer, Model) = (resolved.Folder, resolved.Tokenizer, resolved.Model);
        TorchRuntime.Seed(run.Continual.FineTune.Seed);
        Adapter = Model.AttachLora(run.Continual.Lora);
        Encoder = Model.CreateEncoder(Tokenizer, run.Continual.FineTune);
    }

    public TaskTrainer Trainer(ContinualSettings settings) => new(Model, Adapter, Encoder, settings);

    public void Dispose() => Model.Dispose();
}
