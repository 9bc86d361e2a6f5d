using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Display;
namespace Orchestrator.Shared.Daemon;

/// <summary>
/// The command-line programs' log on stderr at <c>-l LEVEL</c> (default warning), in Salt's console form
/// <c>[DEBUG   ] message</c>: <c>orch -l debug</c> shows what the command read, where it connected and what the master
/// answered; <c>orch call</c> shows what its modules log (a pillar that failed to render, <c>log.warning</c> from a template).
/// </summary>
public static class SaltConsoleLogging
{
    /// <summary>A logger writing to <paramref name="stderr"/> from <paramref name="level"/> (Salt's level names) up.</summary>
    public static Logger Create(string level, TextWriter stderr) => new LoggerConfiguration()
        .MinimumLevel.Is(DaemonLogging.ToLevel(level))
        .Enrich.With(new SaltLevelEnricher())
        .WriteTo.Sink(new WriterSink(stderr, new MessageTemplateTextFormatter("[{SaltLevel}] {Message:lj}{NewLine}{Exception}")))
        .CreateLogger();

    /// <summary>Salt's level names, padded to eight as its console handler prints them.</summary>
    private sealed class SaltLevelEnricher : ILogEventEnricher
    {
        public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory) =>
            logEvent.AddOrUpdateProperty(propertyFactory.CreateProperty("SaltLevel", (logEvent.Level switch
            {
                LogEventLevel.Verbose => "TRACE",
                LogEventLevel.Debug => "DEBUG",
                LogEventLevel.Information => "INFO",
                LogEventLevel.Warning => "WARNING",
                LogEventLevel.Error => "ERROR",
                _ => "CRITICAL",
            }).PadRight(8)));
    }

    /// <summary>Writes to the command's stderr writer (a test's, or the console's), not to the process's console.</summary>
    private sealed class WriterSink(TextWriter writer, ITextFormatter formatter) : ILogEventSink
    {
        public void Emit(LogEvent logEvent)
        {
            lock (writer)
            {
                formatter.Format(logEvent, writer);
            }
        }
    }
}
