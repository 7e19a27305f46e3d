using RecurrentKif.Gpu.Training;
using Serilog;

namespace RecurrentKif.Launcher.Terminal;

/// <summary>
/// Shows training progress: a one-line bar redrawn in place on a terminal, or a structured Serilog line every
/// ~5 % of the work when output is redirected (CI logs, files), so logs stay greppable and short.
/// </summary>
public sealed class ProgressDisplay
{
    private readonly bool _interactive = !Console.IsOutputRedirected && !Console.IsErrorRedirected;
    private string _phase = "";
    private int _lastLogged;

    public void Report(TrainingProgress p)
    {
        if (p.Phase != _phase) { _phase = p.Phase; _lastLogged = 0; }
        if (_interactive) Draw(p);
        else if (p.Step == p.TotalSteps || p.Step - _lastLogged >= Math.Max(1, p.TotalSteps / 20))
        {
            _lastLogged = p.Step;
            if (double.IsFinite(p.FirstTokenLoss))
                Log.Information("{Phase}{Cycle} step {Step}/{Total} loss {Loss:F4} first token {FirstTokenLoss:F4} lr {LearningRate:E2} {TokensPerSecond:F0} tok/s eta {Eta}",
                    p.Phase, CycleText(p), p.Step, p.TotalSteps, p.Loss, p.FirstTokenLoss, p.LearningRate, p.TokensPerSecond, Format(p.EstimatedRemaining));
            else // pretraining has no answer, so no decision to show
                Log.Information("{Phase}{Cycle} step {Step}/{Total} loss {Loss:F4} lr {LearningRate:E2} {TokensPerSecond:F0} tok/s eta {Eta}",
                    p.Phase, CycleText(p), p.Step, p.TotalSteps, p.Loss, p.LearningRate, p.TokensPerSecond, Format(p.EstimatedRemaining));
        }
    }

    private static void Draw(TrainingProgress p)
    {
        const int width = 28;
        int filled = p.TotalSteps == 0 ? width : (int)((long)width * p.Step / p.TotalSteps);
        string bar = new string('█', filled) + new string('░', width - filled);
        // The first answer token's loss is the decision; the mean loss also counts the label's later tokens and EOS.
        string firstToken = double.IsFinite(p.FirstTokenLoss) ? $" (1st token {p.FirstTokenLoss:F3})" : "";
        string line = $"\r{p.Phase}{CycleText(p)} {bar} step {p.Step}/{p.TotalSteps}  loss {p.Loss:F4}{firstToken}  lr {p.LearningRate:E2}  " +
                      $"{p.TokensPerSecond / 1000:F1}k tok/s  ETA {Format(p.EstimatedRemaining)}";
        Console.Error.Write(line.PadRight(Math.Min(Console.BufferWidth > 0 ? Console.BufferWidth - 1 : 120, 140)));
        if (p.Step == p.TotalSteps) Console.Error.WriteLine();
    }

    private static string CycleText(TrainingProgress p) => p.Cycles > 0 ? $" cycle {p.Cycle}/{p.Cycles}" : "";

    private static string Format(TimeSpan t) => t.TotalHours >= 1 ? t.ToString(@"h\:mm\:ss") : t.ToString(@"mm\:ss");
}
