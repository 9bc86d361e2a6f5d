namespace Orchestrator.Minion.Modules.Grains;

/// <summary>The <c>systemd</c> grain (<c>version</c>, <c>features</c> from <c>systemctl --version</c>), present when systemctl and localectl are installed.</summary>
/// <remarks>Salt gives it whether or not systemd runs the host, so a container with systemd installed has it beside <c>init: unknown</c>.</remarks>
public sealed class SystemdGrains : IGrainProvider
{
    public string Name => "systemd";

    public async Task<Dictionary<string, object?>> CollectAsync(GrainContext context, CancellationToken cancellationToken)
    {
        var grains = new Dictionary<string, object?>();
        if (context.Which("systemctl") is not { } systemctl || context.Which("localectl") is null)
        {
            return grains;
        }
        var result = await context.RunAsync(systemctl, ["--version"], cancellationToken).ConfigureAwait(false);
        var lines = (result?.Stdout ?? string.Empty).Split('\n');
        var first = lines[0].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (first.Length < 2 || lines.Length < 2)
        {
            throw new InvalidOperationException($"unexpected output of '{systemctl} --version': {result?.Stdout}{result?.Stderr}");
        }
        grains["systemd"] = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["version"] = first[1],
            ["features"] = lines[1].TrimEnd('\r'),
        };
        return grains;
    }
}
