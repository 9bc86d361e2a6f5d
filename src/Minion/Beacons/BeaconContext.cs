using Orchestrator.Minion.Modules;

namespace Orchestrator.Minion.Beacons;

/// <summary>What a beacon sees of the minion while it polls.</summary>
public sealed class BeaconContext
{
    /// <summary>The configured beacon name (the key under <c>beacons:</c>), which may differ from the module name.</summary>
    public required string Name { get; init; }

    /// <summary>The minion's module context (opts, grains, execution modules); null in unit tests of single beacons.</summary>
    public ModuleContext? Module { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>No events.</summary>
    public static IReadOnlyList<Dictionary<string, object?>> None { get; } = [];
}
