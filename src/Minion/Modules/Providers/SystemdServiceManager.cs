namespace Orchestrator.Minion.Modules.Providers;

/// <summary>Manages services through <c>systemctl</c>.</summary>
public sealed class SystemdServiceManager(IProcessRunner runner, string systemctl = "systemctl") : IServiceManager
{
    public string Name => "systemd";

    public async Task<bool> StatusAsync(string name, CancellationToken cancellationToken) =>
        (await RunAsync(cancellationToken, "is-active", "--quiet", Unit(name)).ConfigureAwait(false)).ExitCode == 0;

    public async Task<bool> ControlAsync(string name, string action, CancellationToken cancellationToken) =>
        (await RunAsync(cancellationToken, action, Unit(name)).ConfigureAwait(false)).ExitCode == 0;

    public async Task<bool> EnableAsync(string name, CancellationToken cancellationToken) =>
        (await RunAsync(cancellationToken, "enable", Unit(name)).ConfigureAwait(false)).ExitCode == 0;

    public async Task<bool> DisableAsync(string name, CancellationToken cancellationToken) =>
        (await RunAsync(cancellationToken, "disable", Unit(name)).ConfigureAwait(false)).ExitCode == 0;

    public async Task<bool> IsEnabledAsync(string name, CancellationToken cancellationToken)
    {
        var result = await RunAsync(cancellationToken, "is-enabled", Unit(name)).ConfigureAwait(false);
        var state = result.Stdout.Trim();
        return result.ExitCode == 0 && state is "enabled" or "enabled-runtime" or "static" or "alias" or "indirect";
    }

    public async Task<IReadOnlyList<string>> GetAllAsync(CancellationToken cancellationToken)
    {
        var result = await RunAsync(
            cancellationToken, "list-unit-files", "--type=service", "--no-legend", "--no-pager", "--plain").ConfigureAwait(false);
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var line in result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var unit = line.Split(' ', 2)[0];
            if (unit.EndsWith(".service", StringComparison.Ordinal))
            {
                var name = unit[..^".service".Length];
                // Template units (getty@.service) are not services one can start by that name.
                if (!name.EndsWith('@'))
                {
                    names.Add(name);
                }
            }
        }
        return names.ToList();
    }

    private static string Unit(string name) => name.Contains('.') ? name : name + ".service";

    private Task<ProcessResult> RunAsync(CancellationToken cancellationToken, params string[] arguments) =>
        runner.RunAsync(new ProcessRequest(systemctl, arguments), cancellationToken);
}
