using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Minion.Events;
using Orchestrator.Minion.Modules;
using Orchestrator.Minion.Modules.Providers;
using Orchestrator.Minion.Transport;
using Orchestrator.Shared.Crypto;
using Orchestrator.Shared.Protocol;
using Orchestrator.Shared.Protocol.Messages;
using Orchestrator.Shared.Commands;
using Orchestrator.Shared.Config;
using Orchestrator.Shared.Output;
using Orchestrator.Shared.Daemon;
using Serilog.Extensions.Logging;

namespace Orchestrator.Minion.Hosting;

/// <summary><c>orch call --local FUN ARGS</c> (salt-call --local): run one module function on this host with no master.</summary>
internal static class LocalCall
{
    public static async Task<int> RunAsync(string[] words)
    {
        var overrides = new Dictionary<string, object?>(StringComparer.Ordinal);
        ParsedCommandLine args;
        OutputSettings output;
        try
        {
            // The same parser as orch's: options may come anywhere, before or after the function (salt-call's optparse).
            args = CommandLineParser.Parse(words, CliVerb.Call);
            if (VerbUsage.InformationFor(args) is { } information)
            {
                Console.Out.Write(information);
                return 0;
            }
            output = OutputSettings.From(args);
            if (args.Value("--log-level") is { } level)
            {
                overrides["log_level"] = level;
            }
            if (args.Value("--file-root") is { } fileRoot)
            {
                overrides["file_roots"] = Roots(fileRoot);
            }
            if (args.Value("--pillar-root") is { } pillarRoot)
            {
                overrides["pillar_roots"] = Roots(pillarRoot);
            }
        }
        catch (UsageException e)
        {
            await Console.Error.WriteLineAsync($"orch call: {e.Message}").ConfigureAwait(false);
            return 2;
        }
        var configDir = args.ConfigDir;
        var local = args.Has("--local");
        var rest = args.Positional;
        if (rest.Count == 0)
        {
            await Console.Error.WriteLineAsync("orch call: no function given").ConfigureAwait(false);
            return 2;
        }
        MinionOptions options;
        try
        {
            options = MinionOptions.Load(configDir, _ => { }, overrides);
            // Salt's opts['__cli'] under salt-call, which formulas read to tell a local run from the daemon's.
            options.Raw["__cli"] = "salt-call";
        }
        catch (ConfigException e)
        {
            await Console.Error.WriteLineAsync($"orch call: {e.Message}").ConfigureAwait(false);
            return 78;
        }
        // salt-call runs masterless with file_client: local as with --local.
        local |= options.FileClient == "local";
        Directory.CreateDirectory(options.CacheDir);
        // As salt-call: what the modules log goes to stderr at -l (default warning), in Salt's console form.
        using var consoleLog = SaltConsoleLogging.Create(args.Value("--log-level") ?? "warning", Console.Error);
        using var loggerFactory = new SerilogLoggerFactory(consoleLog);
        var services = new ServiceCollection().AddSingleton<ILoggerFactory>(loggerFactory)
            .AddSingleton(typeof(ILogger<>), typeof(Logger<>)).BuildServiceProvider();
        var registry = new ExecutionModuleRegistry().AddBuiltinModules(new ModuleProviders { LoggerFactory = loggerFactory });
        var grains = MinionHost.CollectGrains(options, services);
        var call = CallArguments.Parse(rest.Skip(1));
        using var stop = new CancellationTokenSource();
        MasterConnection? connection = null;
        Task? connectionLoop = null;
        ModuleContext context;
        if (local)
        {
            context = await LocalContext.CreateAsync(options, registry, grains, services, stop.Token).ConfigureAwait(false);
        }
        else if (!options.MasterConfigured)
        {
            await Console.Error.WriteLineAsync($"orch call: {options.NoMasterMessage} (or use --local to run without one)").ConfigureAwait(false);
            return 2;
        }
        else
        {
            // salt-call without --local: run here, but take files and pillar from the master over an authenticated session.
            var identity = RsaKeyPair.LoadOrCreate(Path.Combine(options.PkiDir, "minion.pem"), Path.Combine(options.PkiDir, "minion.pub"));
            connection = new MasterConnection(options, identity, TimeProvider.System, NullLogger<MasterConnection>.Instance) { ForCall = true };
            // The master compiles pillar from the grains it has cached, so announce them first, as the daemon does.
            var announce = connection;
            connection.OnAuthenticated = ct => announce.RequestAsync(
                MessageType.MinionStart, WireCodec.Serialize(new MinionStart { Grains = grains, GrainsOnly = true }), options.AuthTimeout, ct);
            connectionLoop = connection.RunAsync(stop.Token);
            try
            {
                await connection.WaitConnectedAsync(stop.Token).WaitAsync(options.RequestTimeout).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                await Console.Error.WriteLineAsync(
                    $"orch call: could not authenticate with the master {options.Master}:{options.MasterPort} (use --local to run without one)")
                    .ConfigureAwait(false);
                return 2;
            }
            var pillarSource = new RemotePillarSource(connection, options.RequestTimeout);
            context = new ModuleContext
            {
                MinionId = options.Id,
                Grains = grains,
                GrainsSource = ct => MinionHost.CollectGrainsAsync(options, services, ct),
                Opts = options.Raw,
                Modules = registry,
                CacheDir = options.CacheDir,
                Files = new RemoteFileClient(connection, options.CacheDir, options.RequestTimeout),
                PillarSource = pillarSource,
                Events = new MinionEventBus(connection, options.RequestTimeout, NullLogger<MinionEventBus>.Instance),
                Pillar = await pillarSource.GetPillarAsync("base", stop.Token).ConfigureAwait(false),
            };
        }
        var result = await registry.InvokeAsync(rest[0], call.Args, call.Kwargs, context.ForJob(null), CancellationToken.None)
            .ConfigureAwait(false);
        if (connectionLoop is not null)
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await connectionLoop.ConfigureAwait(false);
            connection!.Dispose();
        }
        if (result.ReportedOnStderr)
        {
            // salt-call's form for a CommandExecutionError: on stderr, nothing on stdout, EX_GENERIC.
            await Console.Error.WriteLineAsync($"Error running '{rest[0]}': {result.Return}").ConfigureAwait(false);
            return 1;
        }
        var data = new Dictionary<string, object?>(StringComparer.Ordinal) { ["local"] = result.Return };
        output.Write(Console.Out, data, output.OutputterFor(registry.Find(rest[0])?.OutputterFor(result.Return)), result.Retcode);
        return result.Retcode;
    }

    private static Dictionary<string, object?> Roots(string dir) =>
        new(StringComparer.Ordinal) { ["base"] = new List<object?> { Path.GetFullPath(dir) } };
}
