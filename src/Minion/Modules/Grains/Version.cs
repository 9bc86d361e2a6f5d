using Orchestrator.Shared.Commands;
using Orchestrator.Shared.Daemon;

namespace Orchestrator.Minion.Modules.Grains;

/// <summary>
/// <c>saltversion</c> and <c>saltversioninfo</c>: the Salt release whose behaviour this product follows (3006.1, the release its
/// comparisons were recorded against), so formulas that branch on them take the 3006 branch; and <c>orchversion</c>, the product's own version.
/// </summary>
public sealed class VersionGrains : IGrainProvider
{
    /// <summary>The Salt release the product is compatible with (one constant, shared with <c>--versions-report</c>).</summary>
    public const string SaltVersion = VersionsReport.SaltCompatibility;

    public string Name => "version";

    public Task<Dictionary<string, object?>> CollectAsync(GrainContext context, CancellationToken cancellationToken)
    {
        return Task.FromResult(new Dictionary<string, object?>
        {
            ["saltversion"] = SaltVersion,
            ["saltversioninfo"] = SaltVersion.Split('.').Select(part => (object?)long.Parse(part, System.Globalization.CultureInfo.InvariantCulture)).ToList(),
            ["orchversion"] = DaemonCommandLine.Version,
        });
    }
}
