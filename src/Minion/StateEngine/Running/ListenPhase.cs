using Orchestrator.Minion.StateEngine.Requisites;
using Orchestrator.Shared.Data;

namespace Orchestrator.Minion.StateEngine.Running;

/// <summary>
/// Salt's <c>call_listen</c>: after the run, every state listening to a state that changed gets one <c>mod_watch</c>
/// call, as a chunk of its own (<c>listener_&lt;id&gt;</c>, requisites removed); references to states that do not exist
/// become <c>Listen_Error</c> returns.
/// </summary>
internal static class ListenPhase
{
    /// <summary>The <c>mod_watch</c> chunks to run, and the listen errors by tag (numbered after the listeners ran).</summary>
    public static (List<Dictionary<string, object?>> ModWatchers, Dictionary<string, Dictionary<string, object?>> Errors) Plan(
        RequisiteGraph graph, IReadOnlyDictionary<string, Dictionary<string, object?>> running)
    {
        var modWatchers = new List<Dictionary<string, object?>>();
        var errors = new Dictionary<string, Dictionary<string, object?>>(StringComparer.Ordinal);
        foreach (var link in graph.Listens)
        {
            if (link.Watched is null)
            {
                errors[ErrorTag(link.Missing)] = Error(link.Missing);
                continue;
            }
            if (!running.TryGetValue(link.Watched.Tag, out var ret) || !DataTree.IsTruthy(ret.GetValueOrDefault("changes")))
            {
                continue;
            }
            if (link.Listeners.Count == 0)
            {
                errors[ErrorTag(link.Missing)] = Error(link.Missing);
                continue;
            }
            modWatchers.AddRange(link.Listeners.Select(ModWatcher));
        }
        return (modWatchers, errors);
    }

    private static Dictionary<string, object?> ModWatcher(LowChunk listener)
    {
        var low = Ordered.Copy(listener.Data);
        low["sfun"] = listener["fun"];
        low["fun"] = "mod_watch";
        low["__id__"] = "listener_" + listener.Id;
        foreach (var keyword in RequisiteKind.Keywords)
        {
            if (low.ContainsKey(keyword))
            {
                Ordered.Pop(low, keyword);
            }
        }
        return low;
    }

    private static string ErrorTag((string State, string Id) missing) => $"Listen_Error_|-listen_{missing.Id}_|-listen_{missing.State}_|-Listen_Error";

    private static Dictionary<string, object?> Error((string State, string Id) missing) => new(StringComparer.Ordinal)
    {
        ["comment"] = $"Referenced state {missing.State}: {missing.Id} does not exist",
        ["name"] = $"listen_{missing.State}:{missing.Id}",
        ["result"] = false,
        ["changes"] = new Dictionary<string, object?>(StringComparer.Ordinal),
    };
}
