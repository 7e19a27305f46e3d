using Akka.Actor;
using Akka.Event;
using Serilog;
using Akka.Dispatch;
using LogEventLevel = Serilog.Events.LogEventLevel;

namespace RecurrentKif.Actors;

/// <summary>
/// Forwards Akka's own log events to Serilog, so the actor system and RecurrentKif write one log stream.
/// (Akka.Logger.Serilog would do this too, but it drags Akka.Hosting and OpenTelemetry versions that the
/// package mirror cannot resolve without warnings.) Enabled by akka.loggers in <see cref="ActorSystemFactory"/>.
/// </summary>
public sealed class SerilogAkkaLogger : ReceiveActor, IRequiresMessageQueue<ILoggerMessageQueueSemantics>
{
    public SerilogAkkaLogger()
    {
        Receive<InitializeLogger>(_ => Sender.Tell(new LoggerInitialized()));
        Receive<LogEvent>(Write);
    }

    private static void Write(LogEvent e)
    {
        var level = e.LogLevel() switch
        {
            LogLevel.DebugLevel => LogEventLevel.Debug,
            LogLevel.InfoLevel => LogEventLevel.Information,
            LogLevel.WarningLevel => LogEventLevel.Warning,
            _ => LogEventLevel.Error,
        };
        Log.ForContext("SourceContext", e.LogSource).Write(level, e.Cause, "{AkkaMessage}", e.Message?.ToString());
    }
}
