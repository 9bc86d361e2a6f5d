namespace Orchestrator.Master.Runners;

/// <summary>Every runner function by name: the one list of built-in runners.</summary>
public sealed class RunnerRegistry
{
    private readonly Dictionary<string, RunnerFunction> _functions = new(StringComparer.Ordinal);

    public RunnerRegistry()
    {
        foreach (var function in JobsRunner.Functions().Concat(ManageRunner.Functions()).Concat(EventRunner.Functions())
            .Concat(ReactorRunner.Functions()).Concat(Orchestration.OrchestrateRunner.Functions()).Concat(Mine.MineRunner.Functions())
            .Concat(Cloud.CloudRunner.Functions()).Concat(FileServer.Gitfs.FileserverRunner.Functions())
            .Concat(Pillar.GitPillar.GitPillarRunner.Functions()))
        {
            _functions.Add(function.Name, function);
        }
    }

    public IEnumerable<string> Names => _functions.Keys.Order(StringComparer.Ordinal);

    /// <summary>Each runner function's doc by name, for a minion's <c>sys.runner_doc</c>.</summary>
    public Dictionary<string, string> Docs() => _functions.Values.ToDictionary(f => f.Name, f => f.Doc, StringComparer.Ordinal);

    public Task<object?> RunAsync(
        RunnerContext context, string name, List<object?> args, Dictionary<string, object?> kwargs, CancellationToken cancellationToken) =>
        _functions.TryGetValue(name, out var function)
            ? function.Handler(context, args, kwargs, cancellationToken)
            : throw new ArgumentException($"'{name}' is not available. Runners: {string.Join(", ", Names)}");
}
