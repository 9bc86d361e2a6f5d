using Orchestrator.Shared.Config;

namespace Orchestrator.Cli;

/// <summary>What the CLI needs from the master's configuration: where its socket is and the default timeout.</summary>
internal sealed record CliConfig(string SocketPath, int Timeout, string ConfigDir)
{
    private static readonly IReadOnlyList<ConfigKey> Keys =
    [
        new("sock_dir", ConfigKind.String, "/var/run/orchestrator/master", "The master's IPC socket directory."),
        new("timeout", ConfigKind.Int, 5L, "Seconds to wait for returns."),
    ];

    public static CliConfig Load(string configDir)
    {
        // The master's file has many keys the CLI does not use; they are the master's to warn about, not ours.
        var config = ConfigLoader.Load(Path.Combine(configDir, "master"), Keys, _ => { });
        return new CliConfig(Path.Combine(config.GetString("sock_dir"), "master.ipc"), (int)config.GetLong("timeout"), configDir);
    }
}
