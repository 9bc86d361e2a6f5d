using Orchestrator.Shared.Rendering;
using Orchestrator.Minion.Modules;

namespace Orchestrator.Minion.StateEngine;

/// <summary>What a state run needs: the module context (invoker, opts, pillar), test mode and failhard.</summary>
public sealed class StateRunOptions
{
    public required ModuleContext Context { get; init; }

    /// <summary>Salt's <c>test=True</c>: nothing that changes the host runs.</summary>
    public bool Test { get; init; }

    /// <summary>Global <c>failhard</c> (a state's own <c>failhard</c> wins).</summary>
    public bool Failhard { get; init; }

    /// <summary>Renderer for <c>template: jinja</c> in file states.</summary>
    public ISlsTemplateRenderer? Renderer { get; init; }

    /// <summary>Sleeps between retries; replaceable so tests need not wait.</summary>
    public Func<TimeSpan, CancellationToken, Task> Delay { get; init; } = Task.Delay;
}
