using Orchestrator.Minion.StateEngine.Requisites;
using Orchestrator.Shared.Data;

namespace Orchestrator.Minion.StateEngine.Running;

/// <summary>
/// Salt's <c>call_listen</c>: after the run, every state that <c>listen</c>s to (or is <c>listen_in</c>'d by) a state that
/// changed gets one <c>mod_watch</c> call, as a chunk of its own (<c>listener_&lt;id&gt;</c>, requisites removed);
/// references to states that do not exist become <c>Listen_Error</c> returns.
/// </summary>
internal static class ListenPhase
{
    private readonly record struct Cref(string State, string Id, string Name)
    {
        public bool Has(string value) => State == value || Id == value || Name == value;
    }

    /// <summary>The <c>mod_watch</c> chunks to run, and the listen errors by tag (numbered after the listeners ran).</summary>
    public static (List<Dictionary<string, object?>> ModWatchers, Dictionary<string, Dictionary<string, object?>> Errors) Plan(
        IReadOnlyList<LowChunk> chunks, IReadOnlyDictionary<string, Dictionary<string, object?>> running)
    {
        var listeners = new List<(Cref Key, List<object?> Targets)>();
        // The first chunk per (state, id, name), in chunk order, as Salt's dict keyed by that triple keeps it.
        var crefs = new List<(Cref Key, LowChunk Chunk)>();
        var seen = new HashSet<Cref>();
        foreach (var chunk in chunks)
        {
            var key = new Cref(chunk.State, chunk.Id, chunk.Name);
            if (seen.Add(key))
            {
                crefs.Add((key, chunk));
            }
            if (chunk[RequisiteKind.Listen.Name] is List<object?> listen)
            {
                listeners.Add((key, listen));
            }
            if (chunk[RequisiteKind.Listen.InName!] is List<object?> listenIn)
            {
                foreach (var item in listenIn.OfType<Dictionary<string, object?>>())
                {
                    foreach (var (k, v) in item)
                    {
                        listeners.Add((new Cref(k, PyText.Str(v), "lookup"), [new Dictionary<string, object?> { [key.State] = key.Id }]));
                    }
                }
            }
        }
        var modWatchers = new List<Dictionary<string, object?>>();
        var errors = new Dictionary<string, Dictionary<string, object?>>(StringComparer.Ordinal);
        foreach (var (listener, targets) in listeners)
        {
            foreach (var target in targets)
            {
                var listenTo = target as Dictionary<string, object?> ?? ByIdOrName(chunks, PyText.Str(target));
                if (listenTo is null)
                {
                    continue;
                }
                foreach (var (state, idObj) in listenTo)
                {
                    var id = PyText.Str(idObj);
                    var watched = crefs.Where(c => c.Key.State == state && c.Key.Has(id)).ToList();
                    if (watched.Count == 0)
                    {
                        errors[ErrorTag(state, id)] = Error(state, id);
                        continue;
                    }
                    foreach (var (_, data) in watched)
                    {
                        if (!running.TryGetValue(data.Tag, out var ret) || !DataTree.IsTruthy(ret.GetValueOrDefault("changes")))
                        {
                            continue;
                        }
                        var listening = crefs.Where(c => c.Key.State == listener.State && c.Key.Has(listener.Id)).ToList();
                        if (listening.Count == 0)
                        {
                            errors[ErrorTag(listener.State, listener.Id)] = Error(listener.State, listener.Id);
                            continue;
                        }
                        modWatchers.AddRange(listening.Select(c => ModWatcher(c.Chunk)));
                    }
                }
            }
        }
        return (modWatchers, errors);
    }

    // A bare `- name` listens to the last chunk with that ID or name, under its state.
    private static Dictionary<string, object?>? ByIdOrName(IReadOnlyList<LowChunk> chunks, string wanted)
    {
        Dictionary<string, object?>? found = null;
        foreach (var chunk in chunks)
        {
            if (chunk.Id == wanted || chunk.Name == wanted)
            {
                found = new Dictionary<string, object?> { [chunk.State] = chunk["__id__"] };
            }
        }
        return found;
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

    private static string ErrorTag(string state, string id) => $"Listen_Error_|-listen_{id}_|-listen_{state}_|-Listen_Error";

    private static Dictionary<string, object?> Error(string state, string id) => new(StringComparer.Ordinal)
    {
        ["comment"] = $"Referenced state {state}: {id} does not exist",
        ["name"] = $"listen_{state}:{id}",
        ["result"] = false,
        ["changes"] = new Dictionary<string, object?>(StringComparer.Ordinal),
    };
}
