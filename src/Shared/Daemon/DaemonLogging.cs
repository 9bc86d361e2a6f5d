using Serilog;
using Serilog.Core;
using Serilog.Events;
using Orchestrator.Shared.Security;

namespace Orchestrator.Shared.Daemon;

/// <summary>Serilog set-up shared by the daemons: console at <c>log_level</c>, and <c>log_file</c> at <c>log_level_logfile</c>.</summary>
public static class DaemonLogging
{
    /// <summary>Builds the logger; every event carries the daemon's role as a property.</summary>
    public static Logger Create(string role, string level, string logFile, string fileLevel)
    {
        var configuration = new LoggerConfiguration()
            .MinimumLevel.Verbose()
            .Enrich.WithProperty("Role", role)
            .WriteTo.Console(
                restrictedToMinimumLevel: ToLevel(level),
                outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}{NewLine}{Exception}",
                standardErrorFromLevel: LogEventLevel.Verbose);
        if (!string.IsNullOrEmpty(logFile))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(logFile))!);
            // Logs name minions, jobs and arguments: the daemon's user reads them, nobody else.
            PrivateFiles.EnsureFile(logFile);
            configuration = configuration.WriteTo.File(
                logFile,
                restrictedToMinimumLevel: ToLevel(fileLevel),
                outputTemplate: "{Timestamp:yyyy-MM-dd HH:mm:ss.fff zzz} [{Level:u3}] {Message:lj} {Properties:j}{NewLine}{Exception}");
        }
        return configuration.CreateLogger();
    }

    /// <summary>Maps Salt's level names to Serilog's.</summary>
    public static LogEventLevel ToLevel(string level) => level.ToLowerInvariant() switch
    {
        "all" or "trace" or "garbage" => LogEventLevel.Verbose,
        "debug" or "profile" => LogEventLevel.Debug,
        "info" => LogEventLevel.Information,
        "warning" => LogEventLevel.Warning,
        "error" => LogEventLevel.Error,
        "critical" => LogEventLevel.Fatal,
        "quiet" => LogEventLevel.Fatal + 1,
        _ => LogEventLevel.Information,
    };
}
