using Orchestrator.Minion.Modules;

namespace Orchestrator.Minion.Tests.Beacons;

/// <summary>Running jobs the test sets.</summary>
public sealed class FakeRunningJobs : IRunningJobs
{
    public List<string> Functions { get; } = [];

    public IReadOnlyList<Dictionary<string, object?>> Snapshot() =>
        Functions.Select(f => new Dictionary<string, object?> { ["fun"] = f, ["jid"] = "20260101000000000000" }).ToList();

    public bool Kill(string jid) => false;
}
