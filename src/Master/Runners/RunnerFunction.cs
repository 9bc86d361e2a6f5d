namespace Orchestrator.Master.Runners;

/// <summary>
/// A runner function (<c>orch run jobs.lookup_jid JID</c>): positional args and kwargs in, a data tree out. Long runners
/// (<c>state.orchestrate</c>) are asynchronous and take the caller's cancellation.
/// </summary>
public sealed record RunnerFunction(
    string Name, string Doc, Func<RunnerContext, List<object?>, Dictionary<string, object?>, CancellationToken, Task<object?>> Handler)
{
    /// <summary>A runner that answers at once.</summary>
    public RunnerFunction(string name, string doc, Func<RunnerContext, List<object?>, Dictionary<string, object?>, object?> handler)
        : this(name, doc, (context, args, kwargs, _) => Task.FromResult(handler(context, args, kwargs)))
    {
    }
}
