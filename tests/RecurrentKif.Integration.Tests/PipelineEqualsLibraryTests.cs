using RecurrentKif.Actors;
using RecurrentKif.Actors.Pipeline;
using RecurrentKif.Actors.Settings;
using RecurrentKif.Gpu.Continual;
using RecurrentKif.Gpu.Models;
using RecurrentKif.Gpu.Tokenization;
using static TorchSharp.torch;

namespace RecurrentKif.Integration.Tests;

/// <summary>
/// The actors distribute the algorithm, they do not re-implement it: a pipeline run and the plain library loop with the
/// same settings produce the same adapter and the same accuracy matrix, and the tensor store is empty afterwards.
/// </summary>
public sealed class PipelineEqualsLibraryTests
{
    [Fact]
    public async Task PipelineRunMatchesTheLibraryLoopBitForBit()
    {
        using var tiny = new TinyRun();
        var run = RunConfigurationLoader.Load(tiny.ConfigPath);
        var result = await RunHost.RunAsync(run);
        Assert.True(result.Succeeded, result.Error);
        var report = ContinualReportWriter.ReadJson(Path.Combine(run.RunFolder, "report.json"))[0];
        Assert.Equal(0, report.Extras["tensorsLeftInStore"]);

        var tasks = TaskCatalog.Load(run).Tasks;
        using var model = LlamaLoader.LoadFolder(run.Model, ScalarType.Float32, CPU);
        var library = new ContinualTrainer(model, TokenizerLoader.FromModelFolder(run.Model), run.Continual).Run(tasks);

        for (int j = 0; j < tasks.Count; j++)
            for (int i = 0; i < tasks.Count; i++)
                Assert.Equal(library.Accuracy[j, i], report.Accuracies[j, i]);
        // The adapter's θ order (A, B per adapted layer) read off a fresh model of the same shape.
        using var shape = new LlamaForCausalLM(model.Config, ScalarType.Float32, CPU);
        var order = RecurrentKif.Gpu.Lora.LoraAdapter.Attach(shape, run.Continual.Lora);
        var pipelineTheta = SafeTensorsFile.Open(tiny.FinalAdapter);
        for (int i = 0; i < order.Parameters.Count; i++)
        {
            using var stored = pipelineTheta.Load($"theta.{i:D4}");
            Assert.True(stored.eq(LibraryParameter(model, order.Pairs[i / 2].ModulePath, i % 2 == 0)).all().item<bool>(),
                $"LoRA tensor {i} differs between the pipeline and the library loop");
        }
    }

    private static Tensor LibraryParameter(LlamaForCausalLM model, string modulePath, bool isA) =>
        model.named_parameters().Single(p => p.name == $"{modulePath}.{(isA ? "lora_A" : "lora_B")}.weight").parameter;
}
