using Microsoft.Extensions.Hosting;
using Orchestrator.Minion.Hosting;
using Orchestrator.Shared.Config;
using Orchestrator.Shared.Daemon;
using Serilog;

namespace Orchestrator.Minion;

internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "call")
        {
            return await LocalCall.RunAsync(args[1..]).ConfigureAwait(false);
        }
        var command = DaemonCommandLine.Parse(args, "orch-minion", "/etc/orchestrator");
        if (command.Exit is { } exit)
        {
            return exit;
        }
        var warnings = new List<string>();
        MinionOptions options;
        try
        {
            options = MinionOptions.Load(command.ConfigDir, warnings.Add, command.Overrides);
            // Salt's opts['__cli']: formulas tell the daemon from salt-call by it (template-formula's libsaltcli).
            options.Raw["__cli"] = "salt-minion";
        }
        catch (ConfigException e)
        {
            Console.Error.WriteLine($"orch-minion: {e.Message}");
            return 78;
        }
        if (!options.MasterConfigured)
        {
            Console.Error.WriteLine($"orch-minion: {options.NoMasterMessage}");
            return 78;
        }
        var logger = DaemonLogging.Create("minion", options.LogLevel, options.LogFile, options.LogLevelLogfile);
        Log.Logger = logger;
        foreach (var warning in warnings)
        {
            logger.Warning("{ConfigWarning}", warning);
        }
        try
        {
            using var host = MinionHost.Build(options, logging => logging.AddSerilog(logger));
            await host.RunAsync().ConfigureAwait(false);
            return 0;
        }
        catch (Exception e)
        {
            logger.Fatal(e, "orch-minion failed to start");
            return 1;
        }
        finally
        {
            await Log.CloseAndFlushAsync().ConfigureAwait(false);
        }
    }
}
