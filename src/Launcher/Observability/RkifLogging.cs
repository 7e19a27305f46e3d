using RecurrentKif.Actors.Settings;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace RecurrentKif.Launcher.Observability;

/// <summary>
/// The one place that builds rkif's Serilog logger (docs/observability.md §3): the console sink every command has,
/// plus, once a command knows its run, the run's rolling compact-JSON file. A host that wants the same logger (Akka.Hosting,
/// ASP.NET Core) takes <see cref="Configure"/>'s configuration or <see cref="Log.Logger"/> as it is.
/// </summary>
public static class RkifLogging
{
    public const string ConsoleTemplate = "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}{NewLine}{Exception}";

    /// <summary>The console sink (everything to standard error, so standard output stays the command's result).</summary>
    public static LoggerConfiguration Configure(LogFileTarget? file = null)
    {
        var configuration = new LoggerConfiguration()
            .MinimumLevel.Information()
            .WriteTo.Console(outputTemplate: ConsoleTemplate, standardErrorFromLevel: LogEventLevel.Verbose);
        if (file is { Settings.Enabled: true })
            configuration = configuration.WriteTo.File(new CompactJsonFormatter(), file.PathPattern,
                rollingInterval: RollingInterval.Day, rollOnFileSizeLimit: true,
                fileSizeLimitBytes: file.Settings.FileSizeLimitBytes, retainedFileCountLimit: file.Settings.RetainedFiles,
                // The sink's own buffer, written out every second and at shutdown: no disk wait on the logging thread.
                buffered: true, flushToDiskInterval: TimeSpan.FromSeconds(1));
        return configuration;
    }

    /// <summary>Console only: what every command logs to until it knows its run.</summary>
    public static void UseConsole() => Replace(Configure().CreateLogger());

    /// <summary>
    /// From now on also into the run's rolling file, &lt;run folder&gt;/logs/&lt;stem&gt;-yyyyMMdd.clef (when
    /// rkif.logging.file is on). Call before the actor system starts, so every event of the run reaches the file.
    /// </summary>
    public static void UseRunFolder(RunConfiguration run, string stem = "rkif")
    {
        if (!run.Observability.LogFile.Enabled) return;
        Directory.CreateDirectory(run.LogFolder);
        Replace(Configure(new LogFileTarget(Path.Combine(run.LogFolder, stem + "-.clef"), run.Observability.LogFile)).CreateLogger());
    }

    private static void Replace(Serilog.Core.Logger logger)
    {
        var previous = Log.Logger;
        Log.Logger = logger;
        (previous as IDisposable)?.Dispose();
    }
}

/// <param name="PathPattern">The file path before the date Serilog inserts (…/rkif-.clef → …/rkif-20261202.clef).</param>
public sealed record LogFileTarget(string PathPattern, LogFileSettings Settings);
