using System.Runtime.CompilerServices;
using Orchestrator.Minion.StateEngine;

namespace Orchestrator.Minion.Modules.States;

/// <summary>
/// The <c>file.accumulated</c> data of one state run (Salt keeps it per State instance): by target file, the texts of each
/// accumulator and the IDs its <c>require_in</c>/<c>watch_in</c> name. Keyed on the run's running dictionary, so it lives
/// exactly as long as the run.
/// </summary>
internal sealed class FileAccumulators
{
    private static readonly ConditionalWeakTable<object, FileAccumulators> _runs = new();

    /// <summary>filename → accumulator name → texts, in the order they were charged.</summary>
    public Dictionary<string, Dictionary<string, List<object?>>> Data { get; } = new(StringComparer.Ordinal);

    /// <summary>filename → accumulator name → the IDs of the states it feeds.</summary>
    public Dictionary<string, Dictionary<string, List<string>>> Deps { get; } = new(StringComparer.Ordinal);

    public static FileAccumulators Of(StateCall call) => _runs.GetValue(call.Running, _ => new FileAccumulators());

    /// <summary>Salt's file.managed: a template of a file that accumulators feed sees them as <c>accumulator</c>.</summary>
    public static void AddTo(StateCall call, Dictionary<string, object?> context)
    {
        if (ForTemplate(call) is { } accumulator)
        {
            context["accumulator"] = accumulator;
        }
    }

    /// <summary>The <c>accumulator</c> template variable of a file: {accumulator name: [texts]}, or null when none feeds it.</summary>
    public static Dictionary<string, object?>? ForTemplate(StateCall call) =>
        Of(call).Data.TryGetValue(call.Name, out var byName)
            ? byName.ToDictionary(p => p.Key, p => (object?)p.Value.ToList(), StringComparer.Ordinal)
            : null;
}
