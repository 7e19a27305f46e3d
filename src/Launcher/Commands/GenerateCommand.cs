using System.CommandLine;
using RecurrentKif.Gpu.Generation;
using RecurrentKif.Gpu.Lora;

namespace RecurrentKif.Launcher.Commands;

/// <summary><c>rkif generate</c>: greedy continuation of a prompt (or from BOS), optionally with a LoRA adapter.</summary>
public static class GenerateCommand
{
    public static Command Create()
    {
        var modelOptions = new ModelOptions();
        var prompt = new Option<string>("--prompt") { Description = "Text to continue (empty: start from BOS)", DefaultValueFactory = _ => "" };
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
            if (parse.GetValue(adapter) is { } adapterFolder) PeftAdapterFormat.Load(session.Model, adapterFolder);
            var ids = session.Tokenizer.Encode(parse.GetValue(prompt)!, addBos: true);
            var output = GreedyGenerator.Generate(session.Model, [ids], parse.GetValue(maxNewTokens), session.Tokenizer.EosId, session.Tokenizer.PadId)[0];
            Console.WriteLine(parse.GetValue(prompt) + session.Tokenizer.Decode(output));
            return 0;
        });
        return command;
    }
}
