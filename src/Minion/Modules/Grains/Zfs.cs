using System.Globalization;

namespace Orchestrator.Minion.Modules.Grains;

/// <summary>
/// <c>zfs_support</c> (zpool installed and the zfs module loaded, or zfs-fuse), <c>zfs_feature_flags</c> (the zpool-features
/// manual page exists) and, with support, <c>zpool</c> ({pool: size in bytes}), as Salt's zfs grains.
/// </summary>
public sealed class ZfsGrains : IGrainProvider
{
    public string Name => "zfs";

    public async Task<Dictionary<string, object?>> CollectAsync(GrainContext context, CancellationToken cancellationToken)
    {
        var zpool = context.Which("zpool");
        var support = zpool is not null && (context.HostExists("/sys/module/zfs") || context.Which("zfs-fuse") is not null);
        var featureFlags = context.Which("man") is { } man
            && await context.RunAsync(man, ["zpool-features"], cancellationToken).ConfigureAwait(false) is { ExitCode: 0 };
        var grains = new Dictionary<string, object?> { ["zfs_support"] = support, ["zfs_feature_flags"] = featureFlags };
        if (support)
        {
            var pools = new Dictionary<string, object?>(StringComparer.Ordinal);
            var output = (await context.RunAsync(zpool!, ["list", "-H", "-o", "name,size"], cancellationToken).ConfigureAwait(false))?.Stdout ?? "";
            foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                var fields = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length >= 2)
                {
                    pools[fields[0]] = ToBytes(fields[1]);
                }
            }
            if (pools.Count > 0)
            {
                grains["zpool"] = pools;
            }
        }
        return grains;
    }

    /// <summary>salt.utils.zfs.to_size without humanizing: "9.94G" -> bytes (powers of 1024); a plain number stays a number.</summary>
    internal static object? ToBytes(string size)
    {
        const string units = "KMGTPEZ";
        var unit = units.IndexOf(char.ToUpperInvariant(size[^1]));
        if (unit >= 0 && double.TryParse(size[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var scaled))
        {
            return (long)(scaled * Math.Pow(1024, unit + 1));
        }
        return long.TryParse(size, NumberStyles.Integer, CultureInfo.InvariantCulture, out var plain) ? plain : size;
    }
}
