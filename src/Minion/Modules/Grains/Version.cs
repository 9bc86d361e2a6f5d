using System.Reflection;

namespace Orchestrator.Minion.Modules.Grains;

/// <summary>
/// <c>saltversion</c> and <c>saltversioninfo</c>: the Salt release whose behaviour this product follows (3006.1, the release its
/// comparisons were recorded against), so formulas that branch on them take the 3006 branch; and <c>orchversion</c>, the product's own version.
/// </summary>
public sealed class VersionGrains : IGrainProvider
{
    /// <summary>The Salt release the product is compatible with.</summary>
    public const string SaltVersion = "3006.1";

    public string Name => "version";

    public Task<Dictionary<string, object?>> CollectAsync(GrainContext context, CancellationToken cancellationToken)
    {
        var product = typeof(VersionGrains).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? typeof(VersionGrains).Assembly.GetName().Version?.ToString()
            ?? "0.0.0";
        return Task.FromResult(new Dictionary<string, object?>
        {
            ["saltversion"] = SaltVersion,
            ["saltversioninfo"] = SaltVersion.Split('.').Select(part => (object?)long.Parse(part, System.Globalization.CultureInfo.InvariantCulture)).ToList(),
            // Without the "+<commit>" build metadata the SDK appends.
            ["orchversion"] = product.Split('+')[0],
        });
    }
}
