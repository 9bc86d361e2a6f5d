namespace Orchestrator.Minion.Modules.Providers;

/// <summary>Manages Debian-style sysvinit services: <c>/etc/init.d</c> scripts, <c>service</c> and <c>update-rc.d</c>.</summary>
public sealed class SysvinitServiceManager(IProcessRunner runner, string root = "/") : IServiceManager
{
    private static readonly HashSet<string> NotServices =
        new(StringComparer.Ordinal) { "README", "skeleton", "rc", "rcS", "rc.local", "functions", ".depend.boot", ".depend.start", ".depend.stop" };

    private readonly string _initDir = Path.Combine(root, "etc", "init.d");
    private readonly string _etcDir = Path.Combine(root, "etc");

    public string Name => "sysvinit";

    public async Task<bool> StatusAsync(string name, CancellationToken cancellationToken) =>
        (await RunAsync("service", cancellationToken, name, "status").ConfigureAwait(false)).ExitCode == 0;

    public async Task<bool> ControlAsync(string name, string action, CancellationToken cancellationToken) =>
        (await RunAsync("service", cancellationToken, name, action).ConfigureAwait(false)).ExitCode == 0;

    public async Task<bool> EnableAsync(string name, CancellationToken cancellationToken)
    {
        var defaults = await RunAsync("update-rc.d", cancellationToken, name, "defaults").ConfigureAwait(false);
        if (defaults.ExitCode != 0)
        {
            return false;
        }
        return (await RunAsync("update-rc.d", cancellationToken, name, "enable").ConfigureAwait(false)).ExitCode == 0;
    }

    public async Task<bool> DisableAsync(string name, CancellationToken cancellationToken) =>
        (await RunAsync("update-rc.d", cancellationToken, name, "disable").ConfigureAwait(false)).ExitCode == 0;

    /// <summary>Enabled means a start link in any of the multi-user runlevels, as Salt's debian_service checks.</summary>
    public Task<bool> IsEnabledAsync(string name, CancellationToken cancellationToken)
    {
        foreach (var level in new[] { "S", "2", "3", "4", "5" })
        {
            var dir = Path.Combine(_etcDir, $"rc{level}.d");
            if (Directory.Exists(dir) && Directory.EnumerateFileSystemEntries(dir, $"S??{name}").Any())
            {
                return Task.FromResult(true);
            }
        }
        return Task.FromResult(false);
    }

    public Task<IReadOnlyList<string>> GetAllAsync(CancellationToken cancellationToken)
    {
        if (!Directory.Exists(_initDir))
        {
            return Task.FromResult<IReadOnlyList<string>>([]);
        }
        IReadOnlyList<string> names = Directory.EnumerateFiles(_initDir)
            .Select(Path.GetFileName)
            .OfType<string>()
            .Where(n => !NotServices.Contains(n) && !n.StartsWith('.') && !n.EndsWith(".dpkg-old", StringComparison.Ordinal)
                && !n.EndsWith(".dpkg-dist", StringComparison.Ordinal))
            .Select(n => n.EndsWith(".sh", StringComparison.Ordinal) ? n[..^3] : n)
            .Order(StringComparer.Ordinal)
            .ToList();
        return Task.FromResult(names);
    }

    private Task<ProcessResult> RunAsync(string tool, CancellationToken cancellationToken, params string[] arguments) =>
        runner.RunAsync(new ProcessRequest(tool, arguments), cancellationToken);
}
