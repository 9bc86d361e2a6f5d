namespace Orchestrator.Master.Runners;

/// <summary>A runner function (<c>orch run jobs.lookup_jid JID</c>): positional args and kwargs in, a data tree out.</summary>
public sealed record RunnerFunction(
    string Name, string Doc, Func<RunnerContext, List<object?>, Dictionary<string, object?>, object?> Handler);
