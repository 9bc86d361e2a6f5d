using Orchestrator.Shared.Rendering;
namespace Orchestrator.Minion.StateEngine;

/// <summary>
/// Ties the pieces together for one run: render SLS (per environment) into high data, compile, and run with the registry.
/// </summary>
public sealed class StateEngineHost(
    StateModuleRegistry states,
    ISlsSource source,
    SlsRenderPipeline pipeline,
    bool autoOrder = true,
    Func<string, string, SlsSourceFile, Dictionary<string, object?>>? contextFactory = null)
{
    public StateModuleRegistry States { get; } = states;

    public ISlsSource Source { get; } = source;

    public SlsRenderPipeline Pipeline { get; } = pipeline;

    /// <summary>Renders the matched SLS (<c>{env: [sls]}</c>) into high data (with <c>__exclude__</c> from the caller).</summary>
    public Task<(Dictionary<string, object?> High, List<string> Errors)> BuildHighAsync(
        IReadOnlyDictionary<string, List<string>> matches,
        CancellationToken cancellationToken) =>
        new HighStateBuilder(Source, Pipeline, contextFactory, autoOrder).RenderHighstateAsync(matches, cancellationToken);

    /// <summary>Compiles high data to ordered low chunks, or the errors that stop it.</summary>
    public static (List<Dictionary<string, object?>> Chunks, List<string> Errors) Compile(Dictionary<string, object?> high) =>
        HighDataCompiler.Compile(high);

    /// <summary>Renders, compiles and runs the matched SLS.</summary>
    public async Task<StateRunResult> ApplyAsync(
        IReadOnlyDictionary<string, List<string>> matches,
        StateRunOptions options,
        CancellationToken cancellationToken,
        List<object?>? exclude = null)
    {
        var (high, errors) = await BuildHighAsync(matches, cancellationToken).ConfigureAwait(false);
        if (exclude is { Count: > 0 })
        {
            if (high.GetValueOrDefault("__exclude__") is List<object?> existing)
            {
                existing.AddRange(exclude);
            }
            else
            {
                high["__exclude__"] = exclude;
            }
        }
        if (errors.Count > 0)
        {
            return StateRunResult.FromErrors(errors);
        }
        return await new StateRunner(States, options).CallHighAsync(high, cancellationToken).ConfigureAwait(false);
    }
}
