using RecurrentKif.Actors;
using RecurrentKif.Actors.Pipeline;
using RecurrentKif.Actors.Settings;
using RecurrentKif.Gpu.Continual;
using RecurrentKif.Gpu.Models;
using RecurrentKif.Gpu.Models.T5;
using RecurrentKif.Gpu.Tests.Models.T5;
using RecurrentKif.Gpu.Tests.Tokenization;
using RecurrentKif.Gpu.Tokenization;
using static TorchSharp.torch;

namespace RecurrentKif.Integration.Tests;

/// <summary>
/// The pipeline does not know the model family: pointed at a T5 folder (tiny, random, HF layout, character-level
/// spiece.model) it runs the built-in tasks to the end, and its adapter and accuracy matrix equal the library loop's.
/// </summary>
public sealed class T5PipelineTests
{
    [Fact]
    public async Task PipelineOnATinyT5MatchesTheLibraryLoopBitForBit()
    {
        string folder = Directory.CreateTempSubdirectory("rkif-t5-model").FullName;
        try
        {
            var spec = new TinyT5Spec { Vocab = CharacterT5Spiece.PieceCount + 4, DModel = 32, DKv = 8, Heads = 4, DFf = 48, EncoderLayers = 2, DecoderLayers = 2 };
            foreach (var t in TinyT5.Write(folder, spec).Values) t.Dispose();
            CharacterT5Spiece.WriteInto(folder);
            using var tiny = new TinyRun(model: folder);
            var run = RunConfigurationLoader.Load(tiny.ConfigPath);
            var result = await RunHost.RunAsync(run);
            Assert.True(result.Succeeded, result.Error);
            var report = ContinualReportWriter.ReadJson(Path.Combine(run.RunFolder, "report.json"))[0];
            Assert.Equal(0, report.Extras["tensorsLeftInStore"]);

            var tasks = TaskCatalog.Load(run).Tasks;
            using var model = (T5ForConditionalGeneration)ModelLoader.LoadFolder(run.Model, ScalarType.Float32, CPU);
            var library = new ContinualTrainer(model, TokenizerLoader.FromModelFolder(run.Model), run.Continual).Run(tasks);
            for (int j = 0; j < tasks.Count; j++)
                for (int i = 0; i < tasks.Count; i++)
                    Assert.Equal(library.Accuracy[j, i], report.Accuracies[j, i]);

            using var shape = new T5ForConditionalGeneration(model.Config, ScalarType.Float32, CPU);
            var order = ((ILanguageModel)shape).AttachLora(run.Continual.Lora);
            Assert.Equal(2 * 2 + 2 * 2 * 2, order.Pairs.Count); // q, v of encoder self, decoder self and cross attention
            var pipelineTheta = SafeTensorsFile.Open(tiny.FinalAdapter);
            var libraryTheta = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
            for (int i = 0; i < order.Parameters.Count; i++)
            {
                using var stored = pipelineTheta.Load($"theta.{i:D4}");
                var expected = libraryTheta[$"{order.Pairs[i / 2].ModulePath}.{(i % 2 == 0 ? "lora_A" : "lora_B")}.weight"];
                Assert.True(stored.eq(expected).all().item<bool>(), $"LoRA tensor {i} differs between the pipeline and the library loop");
            }
        }
        finally
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }
}
