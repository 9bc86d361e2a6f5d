using Orchestrator.Minion.Modules;
using Orchestrator.Minion.Modules.Grains;
using Orchestrator.Testing;

namespace Orchestrator.Minion.Tests.Modules.Grains;

public sealed class GrainsCollectorTests
{
    private sealed class StubGrains(string name, Dictionary<string, object?> grains) : IGrainProvider
    {
        public string Name => name;

        public Task<Dictionary<string, object?>> CollectAsync(GrainContext context, CancellationToken cancellationToken) => Task.FromResult(grains);
    }

    private sealed class ThrowingGrains : IGrainProvider
    {
        public string Name => "broken";

        public Task<Dictionary<string, object?>> CollectAsync(GrainContext context, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("no /proc here");
    }

    [Fact]
    public async Task Collect_FailingProvider_IsIsolatedAndReported()
    {
        var collector = new GrainsCollector()
            .Add(new StubGrains("a", new() { ["a"] = 1 }))
            .Add(new ThrowingGrains())
            .Add(new StubGrains("b", new() { ["b"] = "two" }));
        var result = await collector.CollectAsync(new GrainContext { MinionId = "m" }, null, CancellationToken.None);
        Assert.Equal(1L, result.Grains["a"]);
        Assert.Equal("two", result.Grains["b"]);
        var failure = Assert.Single(result.Failures);
        Assert.Equal("broken", failure.Provider);
    }

    [Fact]
    public async Task Collect_MergeOrder_ProvidersThenSavedThenConfig()
    {
        using var cache = Some.TempDir();
        GrainsFile.Update(cache.Path, new Dictionary<string, object?> { ["role"] = "saved", ["saved_only"] = true }, removeNulls: false);
        var collector = new GrainsCollector().Add(new StubGrains("p", new() { ["role"] = "detected", ["os"] = "Debian" }));
        var result = await collector.CollectAsync(
            new GrainContext { MinionId = "m", CacheDir = cache.Path },
            new Dictionary<string, object?> { ["os"] = "Custom" },
            CancellationToken.None);
        Assert.Equal("saved", result.Grains["role"]);
        Assert.Equal(true, result.Grains["saved_only"]);
        Assert.Equal("Custom", result.Grains["os"]);
    }

    [Fact]
    public void Add_DuplicateName_Throws() =>
        Assert.Throws<InvalidOperationException>(() => new GrainsCollector().Add(new IdGrains()).Add(new IdGrains()));

    [Fact]
    public async Task Builtin_RealHost_ReturnsExpectedGrainsWithTypes()
    {
        var collector = new GrainsCollector().AddBuiltinGrains();
        var result = await collector.CollectAsync(new GrainContext { MinionId = "web1" }, new Dictionary<string, object?> { ["roles"] = new[] { "web" } },
            CancellationToken.None);
        Assert.Empty(result.Failures);
        var grains = result.Grains;
        Assert.Equal("web1", grains["id"]);
        foreach (var key in new[] { "host", "fqdn", "nodename", "os", "os_family", "osrelease", "oscodename", "osfullname", "kernel", "kernelrelease",
                     "cpuarch", "cpu_model", "machine_id", "init", "osarch", "domain" })
        {
            Assert.True(grains.ContainsKey(key), $"missing grain {key}");
            Assert.IsType<string>(grains[key]);
        }
        Assert.IsType<long>(grains["num_cpus"]);
        Assert.True((long)grains["num_cpus"]! >= 1);
        Assert.True((long)grains["mem_total"]! > 0);
        Assert.Contains("127.0.0.1", (List<object?>)grains["ipv4"]!);
        Assert.IsType<List<object?>>(grains["ipv6"]);
        Assert.Equal("Linux", grains["kernel"]);
        Assert.Equal(new List<object?> { "web" }, grains["roles"]);
    }
}
