using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orchestrator.Minion.Hosting;
using Orchestrator.Minion.Transport;

namespace Orchestrator.Testing;

/// <summary>One in-process minion of a <see cref="TestCluster"/>.</summary>
public sealed class TestMinion(MinionOptions options) : IAsyncDisposable
{
    private bool _running;

    public MinionOptions Options { get; } = options;

    public IHost Host { get; private set; } = null!;

    public MasterConnection Connection => Host.Services.GetRequiredService<MasterConnection>();

    public string OutboxDir => Path.Combine(Options.CacheDir, "outbox");

    public async Task StartAsync()
    {
        Host = MinionHost.Build(Options, TestCluster.Logging(Options.Id));
        await Host.StartAsync();
        _running = true;
    }

    public async Task StopAsync()
    {
        if (_running)
        {
            _running = false;
            await Host.StopAsync();
            Host.Dispose();
        }
    }

    public ValueTask DisposeAsync() => new(StopAsync());
}
