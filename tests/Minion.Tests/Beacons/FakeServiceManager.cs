using Orchestrator.Minion.Modules.Providers;

namespace Orchestrator.Minion.Tests.Beacons;

/// <summary>Services whose running state the test sets.</summary>
public sealed class FakeServiceManager : IServiceManager
{
    public Dictionary<string, bool> Running { get; } = new(StringComparer.Ordinal);

    public string Name => "fake";

    public Task<bool> StatusAsync(string name, CancellationToken cancellationToken) => Task.FromResult(Running.GetValueOrDefault(name));

    public Task<bool> ControlAsync(string name, string action, CancellationToken cancellationToken) => Task.FromResult(true);

    public Task<bool> EnableAsync(string name, CancellationToken cancellationToken) => Task.FromResult(true);

    public Task<bool> DisableAsync(string name, CancellationToken cancellationToken) => Task.FromResult(true);

    public Task<bool> IsEnabledAsync(string name, CancellationToken cancellationToken) => Task.FromResult(true);

    public Task<IReadOnlyList<string>> GetAllAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<string>>([.. Running.Keys.Order()]);
}
