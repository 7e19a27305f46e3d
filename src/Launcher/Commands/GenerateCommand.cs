using System.CommandLine;
using RecurrentKif.Gpu.Models;
using RecurrentKif.Gpu.Lora;

namespace RecurrentKif.Launcher.Commands;

/// <summary><c>rkif generate</c>: greedy continuation of a prompt (or from BOS), or a T5's answer to it, optionally with a LoRA adapter.</summary>
public static class GenerateCommand
{
    public static Command Create()
    {
        var modelOptions = new ModelOptions();
        var prompt = new Option<string>("--prompt") { Description = "Text to continue (empty: start from BOS; required for models without one, such as Qwen2)", DefaultValueFactory = _ => "" };
        var maxNewTokens = new Option<int>("--max-new-tokens") { Description = "Tokens to generate at most", DefaultValueFactory = _ => 128 };
        var adapter = new Option<string?>("--adapter") { Description = "PEFT adapter folder to apply (adapter_model.safetensors + adapter_config.json)" };
        var command = new Command("generate", "Greedy generation with a model (and optionally a LoRA adapter)")
        {
            prompt, maxNewTokens, adapter,
        };
        modelOptions.AddTo(command);
        command.SetAction(parse =>
        {
            using var session = modelOptions.Open(parse);
            if (parse.GetValue(adapter) is { } adapterFolder) PeftAdapterFormat.Load(session.Model.Module, adapterFolder);
            string text = parse.GetValue(prompt)!;
            var tokenizer = session.Tokenizer;
            // A decoder-only model continues BOS + prompt; an encoder-decoder reads the prompt + </s> and writes its own text.
            bool continues = !session.Model.IsEncoderDecoder;
            var ids = continues ? tokenizer.Encode(text, addBos: true) : [.. tokenizer.Encode(text, addBos: false), tokenizer.EosId];
            // A decoder without BOS (Qwen2) has nothing to continue from an empty prompt.
            if (ids.Count == 0) throw new ArgumentException("--prompt is empty and the model has no BOS token to start from: give a prompt");
            var output = session.Model.GenerateGreedy([ids], parse.GetValue(maxNewTokens), tokenizer.EosId, tokenizer.PadId)[0];
            Console.WriteLine((continues ? text : "") + tokenizer.Decode(output));
            return 0;
        });
        return command;
    }
}
