using System.Reflection;
using System.Text.RegularExpressions;
using Orchestrator.Minion.Beacons;

namespace Orchestrator.Minion.Tests.Beacons;

public sealed partial class BuiltinBeaconsConventionTests
{
    private static readonly Assembly MinionAssembly = typeof(BeaconRegistry).Assembly;

    [GeneratedRegex("^[a-z][a-z0-9_]*$")]
    private static partial Regex SnakeCase();

    private static BeaconRegistry Builtins() => new BeaconRegistry().AddBuiltinBeacons();

    [Fact]
    public void EveryBeaconType_IsRegisteredInBuiltinBeacons()
    {
        var declared = MinionAssembly.GetTypes().Where(t => t.GetCustomAttribute<BeaconAttribute>() is not null).ToList();
        var registered = Builtins().Beacons.Values.Select(b => b.GetType()).ToHashSet();

        Assert.NotEmpty(declared);
        Assert.All(declared, t => Assert.True(registered.Contains(t), $"{t.Name} is not registered in BuiltinBeacons"));
    }

    [Fact]
    public void EveryBeaconType_HasAttributeAndImplementsInterface()
    {
        var beacons = MinionAssembly.GetTypes().Where(t => typeof(IBeacon).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false });

        Assert.All(beacons, t => Assert.NotNull(t.GetCustomAttribute<BeaconAttribute>()));
        Assert.All(MinionAssembly.GetTypes().Where(t => t.GetCustomAttribute<BeaconAttribute>() is not null),
            t => Assert.True(typeof(IBeacon).IsAssignableFrom(t), $"{t.Name} has [Beacon] but is no IBeacon"));
    }

    [Fact]
    public void BeaconNames_AreUniqueSnakeCase_WithADocLine()
    {
        var names = MinionAssembly.GetTypes().Select(t => t.GetCustomAttribute<BeaconAttribute>()?.Name).OfType<string>().ToList();

        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.All(names, n => Assert.Matches(SnakeCase(), n));
        Assert.All(Builtins().Beacons, b => Assert.False(string.IsNullOrWhiteSpace(b.Value.Doc), $"beacon {b.Key} has no doc"));
    }

    [Fact]
    public void BuiltinBeacons_CoverSaltsCoreSet()
    {
        var names = Builtins().Beacons.Keys.ToList();

        Assert.Equal(["diskusage", "http_status", "inotify", "load", "log", "memusage", "ps", "service", "status"], names);
    }
}
