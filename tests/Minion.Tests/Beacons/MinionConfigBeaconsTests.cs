using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Minion.Beacons;
using Orchestrator.Minion.Hosting;
using Orchestrator.Testing;

namespace Orchestrator.Minion.Tests.Beacons;

public sealed class MinionConfigBeaconsTests : IDisposable
{
    private readonly TempDir _dir = new();

    [Fact]
    public void BeaconsKey_IsKnown_AndReachesTheManagerWithTheConfigDirectory()
    {
        File.WriteAllText(_dir.Combine("minion"), """
            id: web1
            beacons:
              service:
                - services:
                    nginx:
                      onchangeonly: True
                      uncleanshutdown: /run/nginx.pid
                - interval: 5
                - disable_during_state_run: True
              diskusage:
                - /: 63%
                - interval: 30
            """);
        var warnings = new List<string>();

        var options = MinionOptions.Load(_dir.Path, warnings.Add);
        var manager = new BeaconManager(options, new BeaconRegistry().AddBuiltinBeacons(), TimeProvider.System, NullLogger<BeaconManager>.Instance);
        manager.Reload();

        Assert.Empty(warnings);
        Assert.Equal(_dir.Path, options.ConfigDir);
        Assert.Equal(["diskusage", "service"], manager.Status.Keys);
        Assert.All(manager.Status.Values, s => Assert.Null(s.ConfigError));
        Assert.Equal(BeaconsFile.PathIn(_dir.Path), manager.SaveFile);
    }

    [Fact]
    public void BeaconsThatAreNotAMapping_AreRefusedWithTheKeyNamed()
    {
        File.WriteAllText(_dir.Combine("minion"), "beacons: [load]\n");

        var error = Assert.Throws<Orchestrator.Shared.Config.ConfigException>(() => MinionOptions.Load(_dir.Path, _ => { }));

        Assert.Contains("'beacons'", error.Message);
    }

    public void Dispose() => _dir.Dispose();
}
