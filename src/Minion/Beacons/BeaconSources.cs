using Microsoft.Extensions.Logging;
using Orchestrator.Minion.Hosting;
using Orchestrator.Minion.Modules;

namespace Orchestrator.Minion.Beacons;

/// <summary>Where beacons come from: the minion config and its saved <c>beacons.conf</c>, and pillar.</summary>
internal static class BeaconSources
{
    /// <summary>The minion config's <c>beacons:</c>, with <c>minion.d/beacons.conf</c> over it per name; a bad source is logged and left out.</summary>
    public static Dictionary<string, object?> ReadOpts(MinionOptions options, string? saveFile, ILogger logger)
    {
        var opts = new Dictionary<string, object?>(StringComparer.Ordinal);
        switch (Orchestrator.Shared.Data.DataTree.Normalize(options.Raw.GetValueOrDefault("beacons")))
        {
            case null:
                break;
            case Dictionary<string, object?> fromConfig:
                opts = BeaconData.CopyMap(fromConfig);
                break;
            default:
                BeaconLog.SourceInvalid(logger, "minion config", "'beacons' must be a mapping of beacon names to their configuration");
                break;
        }
        if (saveFile is { } file)
        {
            try
            {
                // Saved beacons come back per name over the minion file's, as Salt's minion.d include does.
                foreach (var (name, config) in BeaconsFile.Read(file) ?? [])
                {
                    opts[name] = config;
                }
            }
            catch (BeaconConfigException e)
            {
                BeaconLog.SourceInvalid(logger, file, e.Message);
            }
        }
        return opts;
    }

    /// <summary>Pillar <c>beacons:</c>; anything but a mapping is logged and left out.</summary>
    public static Dictionary<string, object?> ReadPillar(ModuleContext context, ILogger logger)
    {
        object? beacons;
        lock (context.Pillar)
        {
            beacons = BeaconData.Copy(context.Pillar.GetValueOrDefault("beacons"));
        }
        switch (beacons)
        {
            case null:
                return new Dictionary<string, object?>(StringComparer.Ordinal);
            case Dictionary<string, object?> map:
                return map;
            default:
                BeaconLog.SourceInvalid(logger, "pillar", "'beacons' must be a mapping of beacon names to their configuration");
                return new Dictionary<string, object?>(StringComparer.Ordinal);
        }
    }
}
