namespace Orchestrator.Minion.Modules;

/// <summary>Runs one module function with arguments already bound; returns a value of the canonical data model.</summary>
public delegate Task<object?> ModuleHandler(ModuleCall call, CancellationToken cancellationToken);
