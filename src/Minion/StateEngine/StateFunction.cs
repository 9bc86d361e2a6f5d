using Orchestrator.Minion.Modules;

namespace Orchestrator.Minion.StateEngine;

/// <summary>A declared state function: name, parameters (required ones are checked before the call), handler and doc line.</summary>
public sealed record StateFunction(
    string Name,
    IReadOnlyList<FunctionParameter> Parameters,
    Func<StateCall, CancellationToken, Task<StateReturn>> Handler,
    string Doc);
