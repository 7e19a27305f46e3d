using System.Diagnostics;
using System.Text.Json.Nodes;

namespace RecurrentKif.Bench;

/// <summary>
/// Runs one measurement in a child process of this benchmark (`rkif-bench child &lt;section&gt; key=value …`) and
/// returns the JSON it prints on its RESULT line. One process per measurement: each OS thread that enters libtorch
/// gets its own OpenMP team, so measurements sharing a process would slow each other down, and the child's peak
/// memory (VmHWM) is then the peak of that run alone.
/// </summary>
public static class ChildProcess
{
    public const string ResultPrefix = "RESULT ";

    public static JsonObject Run(string section, IReadOnlyDictionary<string, string> arguments, TimeSpan timeout)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(typeof(ChildProcess).Assembly.Location);
        info.ArgumentList.Add("child");
        info.ArgumentList.Add(section);
        foreach (var (key, value) in arguments) info.ArgumentList.Add($"{key}={value}");
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start the {section} child");
        var errors = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"benchmark child '{section} {Describe(arguments)}' ran past {timeout.TotalMinutes:F0} min");
        }
        string text = output.Result;
        string? line = text.Split('\n').LastOrDefault(l => l.StartsWith(ResultPrefix, StringComparison.Ordinal));
        if (process.ExitCode != 0 || line is null)
            throw new InvalidOperationException(
                $"benchmark child '{section} {Describe(arguments)}' failed (exit {process.ExitCode}):\n{Tail(text + errors.Result)}");
        return JsonNode.Parse(line[ResultPrefix.Length..])!.AsObject();
    }

    /// <summary>The child side: parses key=value arguments, runs the section, prints its result with the peak memory.</summary>
    public static int RunAsChild(string section, IEnumerable<string> arguments, Func<string, ChildArguments, JsonObject> run)
    {
        var parsed = new ChildArguments(arguments.Select(a => a.Split('=', 2)).ToDictionary(
            p => p[0], p => p.Length == 2 ? p[1] : throw new ArgumentException($"child argument '{p[0]}' is not key=value")));
        var result = run(section, parsed);
        result["peakMemoryMb"] = PeakMemory.Megabytes();
        Console.WriteLine(ResultPrefix + result.ToJsonString());
        return 0;
    }

    private static string Describe(IReadOnlyDictionary<string, string> arguments) => string.Join(' ', arguments.Select(a => $"{a.Key}={a.Value}"));

    private static string Tail(string text) => text.Length <= 4000 ? text : "…" + text[^4000..];
}

/// <summary>A child's key=value arguments, with clear errors for a missing or malformed one.</summary>
public sealed class ChildArguments(IReadOnlyDictionary<string, string> values)
{
    public string this[string key] => values.TryGetValue(key, out var v) ? v : throw new ArgumentException($"benchmark child needs the argument {key}=…");

    public string Get(string key, string fallback) => values.TryGetValue(key, out var v) ? v : fallback;

    public int Int(string key, int fallback) =>
        values.TryGetValue(key, out var v)
            ? int.TryParse(v, System.Globalization.CultureInfo.InvariantCulture, out int i) ? i : throw new ArgumentException($"benchmark child argument {key}={v} is not an integer")
            : fallback;
}
