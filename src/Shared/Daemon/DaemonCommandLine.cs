using System.Reflection;

namespace Orchestrator.Shared.Daemon;

/// <summary>The command line both daemons share: <c>-c/--config-dir DIR</c>, <c>-l/--log-level</c>, <c>--version</c>, <c>-h</c>.</summary>
public sealed record DaemonCommandLine(string ConfigDir, Dictionary<string, object?> Overrides, int? Exit)
{
    /// <summary>Parses arguments; prints help, version or a usage error and sets <see cref="Exit"/> when the daemon should not start.</summary>
    public static DaemonCommandLine Parse(string[] args, string program, string defaultConfigDir)
    {
        var configDir = defaultConfigDir;
        var overrides = new Dictionary<string, object?>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            string Value()
            {
                if (i + 1 >= args.Length)
                {
                    throw new ArgumentException($"{args[i]} needs a value");
                }
                return args[++i];
            }
            try
            {
                switch (args[i])
                {
                    case "-c" or "--config-dir":
                        configDir = Value();
                        break;
                    case "-l" or "--log-level":
                        overrides["log_level"] = Value();
                        break;
                    case "--version" or "-V":
                        Console.WriteLine($"{program} {Version}");
                        return new(configDir, overrides, 0);
                    case "-h" or "--help":
                        Console.WriteLine($"""
                            Usage: {program} [-c DIR] [-l LEVEL]

                              -c, --config-dir DIR   read DIR/{program.Replace("orch-", "")} (default {defaultConfigDir})
                              -l, --log-level LEVEL  trace, debug, info, warning, error, critical, quiet
                              -V, --version          print the version
                            SIGTERM or Ctrl-C stops the daemon cleanly.
                            """);
                        return new(configDir, overrides, 0);
                    default:
                        throw new ArgumentException($"unknown argument '{args[i]}'");
                }
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine($"{program}: {e.Message} (see --help)");
                return new(configDir, overrides, 64);
            }
        }
        return new(configDir, overrides, null);
    }

    /// <summary>The product version.</summary>
    public static string Version =>
        typeof(DaemonCommandLine).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? "0.0.0";
}
