namespace Orchestrator.Minion.Beacons;

/// <summary>The Salt-visible name of a beacon module (<c>load</c>, <c>diskusage</c>, <c>inotify</c>...).</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class BeaconAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
