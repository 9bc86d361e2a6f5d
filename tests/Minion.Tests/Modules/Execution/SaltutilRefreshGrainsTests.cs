using Orchestrator.Minion.Modules;
using Orchestrator.Testing;

namespace Orchestrator.Minion.Tests.Modules.Execution;

/// <summary>saltutil.refresh_grains: collects the grains again into the shared dictionary, refreshes the pillar, returns True.</summary>
public sealed class SaltutilRefreshGrainsTests : IDisposable
{
    private readonly ModuleHarness _harness = ModuleHarness.Builtin();

    public void Dispose() => _harness.Dispose();

    private sealed class CountingPillar : IPillarSource
    {
        public int Calls { get; private set; }

        public Task<Dictionary<string, object?>> GetPillarAsync(string saltenv, CancellationToken cancellationToken)
        {
            Calls++;
            return Task.FromResult(new Dictionary<string, object?>(StringComparer.Ordinal) { ["fresh"] = Calls });
        }
    }

    private ModuleContext Context(Func<CancellationToken, Task<Dictionary<string, object?>>>? source, IPillarSource? pillar) => new()
    {
        MinionId = "m1",
        Grains = new Dictionary<string, object?>(StringComparer.Ordinal) { ["os"] = "Old", ["stale"] = true },
        Opts = new Dictionary<string, object?>(StringComparer.Ordinal),
        Modules = _harness.Registry,
        CacheDir = _harness.CacheDir,
        GrainsSource = source,
        PillarSource = pillar,
    };

    [Fact]
    public async Task RefreshGrains_ReplacesGrainsInPlaceAndRefreshesPillar()
    {
        var pillar = new CountingPillar();
        var context = Context(_ => Task.FromResult(new Dictionary<string, object?>(StringComparer.Ordinal) { ["os"] = "Debian" }), pillar);
        var shared = context.Grains;

        var result = await _harness.Registry.InvokeAsync("saltutil.refresh_grains", [], new Dictionary<string, object?>(), context.ForJob("1"),
            CancellationToken.None);

        Assert.True(result.Success);
        Assert.Equal(true, result.Return);
        Assert.Same(shared, context.Grains);
        Assert.Equal("Debian", shared["os"]);
        Assert.False(shared.ContainsKey("stale"));
        Assert.Equal(1, pillar.Calls);
        Assert.Equal(1, context.Pillar["fresh"]);
    }

    [Fact]
    public async Task RefreshGrains_RefreshPillarFalse_LeavesPillarAlone()
    {
        var pillar = new CountingPillar();
        var context = Context(_ => Task.FromResult(new Dictionary<string, object?>(StringComparer.Ordinal)), pillar);
        var result = await _harness.Registry.InvokeAsync("saltutil.refresh_grains", [], new Dictionary<string, object?> { ["refresh_pillar"] = false },
            context, CancellationToken.None);
        Assert.Equal(true, result.Return);
        Assert.Equal(0, pillar.Calls);
    }

    [Fact]
    public async Task RefreshGrains_NoSource_IsAnErrorNotTrue()
    {
        var result = await _harness.Registry.InvokeAsync("saltutil.refresh_grains", [], new Dictionary<string, object?>(), Context(null, null),
            CancellationToken.None);
        Assert.False(result.Success);
        Assert.Contains("grains cannot be collected again", result.Return?.ToString());
    }

    [Fact]
    public async Task RefreshGrains_UnknownKeyword_IsRejected()
    {
        var context = Context(_ => Task.FromResult(new Dictionary<string, object?>(StringComparer.Ordinal)), null);
        var result = await _harness.Registry.InvokeAsync("saltutil.refresh_grains", [], new Dictionary<string, object?> { ["bogus"] = 1 },
            context, CancellationToken.None);
        Assert.False(result.Success);
    }
}
