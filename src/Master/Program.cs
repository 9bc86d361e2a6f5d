using Microsoft.Extensions.Hosting;
using Orchestrator.Master.Hosting;
using Orchestrator.Shared.Config;
using Orchestrator.Shared.Daemon;
using Serilog;

namespace Orchestrator.Master;

internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        var command = DaemonCommandLine.Parse(args, "orch-master", "/etc/orchestrator");
        if (command.Exit is { } exit)
        {
            return exit;
        }
        var warnings = new List<string>();
        MasterOptions options;
        try
        {
            options = MasterOptions.Load(command.ConfigDir, warnings.Add, command.Overrides);
            // Salt's opts['__cli'], which pillar templates may read.
            options.Raw["__cli"] = "salt-master";
        }
        catch (ConfigException e)
        {
            Console.Error.WriteLine($"orch-master: {e.Message}");
            return 78;
        }
        var logger = DaemonLogging.Create("master", options.LogLevel, options.LogFile, options.LogLevelLogfile);
        Log.Logger = logger;
        foreach (var warning in warnings)
        {
            logger.Warning("{ConfigWarning}", warning);
        }
        try
        {
            using var host = MasterHost.Build(options, logging => logging.AddSerilog(logger));
            await host.RunAsync().ConfigureAwait(false);
            return 0;
        }
        catch (Exception e)
        {
            logger.Fatal(e, "orch-master failed to start");
            return 1;
        }
        finally
        {
            await Log.CloseAndFlushAsync().ConfigureAwait(false);
        }
    }
}
