using System.CommandLine;
using RecurrentKif.Gpu.Lora;

namespace RecurrentKif.Launcher.Commands;

/// <summary><c>rkif export config.conf --out dir</c>: a run's adapter in the Hugging Face PEFT layout.</summary>
public static class ExportCommand
{
    public static Command Create()
    {
        var config = RunCommand.ConfigArgument();
        var set = RunCommand.SetOption();
        var task = new Option<int?>("--task") { Description = "Export the adapter as it was after this task (0-based; default: the last trained task)" };
        var output = new Option<string>("--out") { Description = "Folder for adapter_model.safetensors + adapter_config.json", Required = true };
        var command = new Command("export", "Export a run's adapter in PEFT layout (loadable with PeftModel.from_pretrained)") { config, set, task, output };
        command.SetAction(async (parse, _) =>
        {
            var run = RunCommand.Load(parse, config, set);
            var (host, state, k) = await RunArtifacts.OpenAdapterAsync(run, parse.GetValue(task));
            using (host)
            {
                PeftAdapterFormat.Save(host.Adapter, parse.GetValue(output)!, host.ModelFolder, host.Model.PeftTaskType);
                Console.WriteLine($"adapter after task {k + 1} ({state.TaskNames[k]}) written to {Path.GetFullPath(parse.GetValue(output)!)}");
            }
            return 0;
        });
        return command;
    }
}
