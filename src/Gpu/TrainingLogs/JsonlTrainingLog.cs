using System.Buffers;
using System.Text.Json;

namespace RecurrentKif.Gpu.TrainingLogs;

/// <summary>
/// trainer_log.jsonl, named after LLaMA-Factory's: one JSON object per optimizer step and one per fusion, appended
/// through a buffer that is written out at <see cref="Flush"/> (every commit, the task end), never fsynced: the
/// journal and the checkpoints are what make a run safe; this file only follows them (docs/observability.md §1).
/// <see cref="ResumeAt"/> drops what a crashed or rolled-back attempt left past the commit it resumes from, including a
/// line a kill cut in half, so a resumed run's file has each step exactly once, as an uninterrupted run's.
/// </summary>
public sealed class JsonlTrainingLog : ITrainingLog
{
    public const string FileName = "trainer_log.jsonl";

    private readonly ArrayBufferWriter<byte> _line = new(512);
    private readonly Utf8JsonWriter _json;
    // Total steps of every task seen, so a step's global number (steps of earlier tasks + its own) needs no other input.
    private readonly Dictionary<int, int> _totalSteps = [];
    private FileStream? _file;

    public string Path { get; }

    public JsonlTrainingLog(string folder)
    {
        Directory.CreateDirectory(folder);
        Path = System.IO.Path.Combine(folder, FileName);
        _json = new Utf8JsonWriter(_line);
    }

    public void ResumeAt(int task, int committedStep)
    {
        CloseFile();
        var lines = TrainerLogFile.Read(Path);
        var kept = lines.Where(l => l.Task < task || (l.Task == task && l.Step <= committedStep)).ToList();
        bool intact = kept.Count == lines.Count && (!File.Exists(Path) || EndsWithNewline(Path));
        if (!intact) Rewrite(kept);
        _totalSteps.Clear();
        foreach (var line in kept.Where(l => l.Event == "step")) _totalSteps[line.Task] = line.TotalSteps;
    }

    /// <summary>Steps of the tasks before <paramref name="task"/> plus <paramref name="step"/>: one axis across the run.</summary>
    public int GlobalStep(int task, int step) => _totalSteps.Where(kv => kv.Key < task).Sum(kv => kv.Value) + step;

    public void Step(StepLogEntry e)
    {
        _totalSteps[e.Task] = e.TotalSteps;
        var w = Begin("step", e.Task, e.TaskName, e.Step);
        w.WriteNumber("total_steps", e.TotalSteps);
        w.WriteNumber("global_step", GlobalStep(e.Task, e.Step));
        w.WriteNumber("cycle", e.Cycle);
        Number(w, "loss", e.Loss);
        Number(w, "first_token_loss", e.FirstTokenLoss);
        Number(w, "lr", e.LearningRate);
        Number(w, "grad_norm", e.GradNorm);
        w.WriteNumber("tokens", e.Tokens);
        Number(w, "tokens_per_second", Math.Round(e.TokensPerSecond, 1));
        Number(w, "elapsed_seconds", Math.Round(e.ElapsedSeconds, 3));
        End();
    }

    public void Fusion(FusionLogEntry e)
    {
        var w = Begin("fusion", e.Task, e.TaskName, e.Step);
        w.WriteNumber("global_step", GlobalStep(e.Task, e.Step));
        w.WriteNumber("cycle", e.Cycle);
        Number(w, "in_only", e.InOnlyShare);
        Number(w, "out_only", e.OutOnlyShare);
        Number(w, "both", e.BothShare);
        Number(w, "neither", e.NeitherShare);
        w.WriteNumber("scalars", e.Shares.Total);
        End();
    }

    public void Flush() => _file?.Flush();

    public void Dispose() => CloseFile();

    private Utf8JsonWriter Begin(string kind, int task, string taskName, int step)
    {
        _line.ResetWrittenCount();
        _json.Reset(_line);
        _json.WriteStartObject();
        _json.WriteString("event", kind);
        _json.WriteNumber("task", task);
        _json.WriteString("task_name", taskName);
        _json.WriteNumber("step", step);
        return _json;
    }

    private void End()
    {
        _json.WriteEndObject();
        _json.Flush();
        var file = _file ??= new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 1 << 16);
        file.Write(_line.WrittenSpan);
        file.WriteByte((byte)'\n');
    }

    // JSON has no NaN: a value not measured is null.
    private static void Number(Utf8JsonWriter w, string name, double value)
    {
        if (double.IsFinite(value)) w.WriteNumber(name, value);
        else w.WriteNull(name);
    }

    // Through a temporary and a rename, so a kill now leaves the old file or the new one. No fsync: see the class comment.
    private void Rewrite(IReadOnlyList<TrainerLogFile.Line> kept)
    {
        string temp = Path + ".tmp";
        using (var writer = new StreamWriter(temp, append: false, new System.Text.UTF8Encoding(false), 1 << 16) { NewLine = "\n" })
            foreach (var line in kept) writer.WriteLine(line.Text);
        File.Move(temp, Path, overwrite: true);
    }

    private static bool EndsWithNewline(string path)
    {
        using var file = File.OpenRead(path);
        if (file.Length == 0) return true;
        file.Seek(-1, SeekOrigin.End);
        return file.ReadByte() == '\n';
    }

    private void CloseFile()
    {
        _file?.Dispose();
        _file = null;
    }
}
