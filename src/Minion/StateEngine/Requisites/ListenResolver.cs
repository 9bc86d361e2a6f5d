using Orchestrator.Shared.Data;

namespace Orchestrator.Minion.StateEngine.Requisites;

/// <summary>
/// Resolves <c>listen</c> and <c>listen_in</c> as Salt's <c>call_listen</c> matches them: a reference is a state plus an
/// ID or name compared exactly (a bare string is first looked up by ID or name), against the first chunk of each
/// (state, ID, name).
/// </summary>
internal static class ListenResolver
{
    private readonly record struct Cref(string State, string Id, string Name)
    {
        public bool Has(string value) => State == value || Id == value || Name == value;
    }

    public static List<ListenLink> Resolve(IReadOnlyList<LowChunk> chunks)
    {
        var listeners = new List<(Cref Key, List<object?> Targets)>();
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
        List<LowChunk> Matching(string state, string value) => crefs.Where(c => c.Key.State == state && c.Key.Has(value)).Select(c => c.Chunk).ToList();

        var links = new List<ListenLink>();
        foreach (var (listener, targets) in listeners)
        {
            foreach (var target in targets)
            {
                var listenTo = target as Dictionary<string, object?> ?? ByIdOrName(chunks, PyText.Str(target));
                foreach (var (state, idObj) in listenTo ?? [])
                {
                    var id = PyText.Str(idObj);
                    var watched = Matching(state, id);
                    if (watched.Count == 0)
                    {
                        links.Add(new ListenLink(null, [], (state, id)));
                        continue;
                    }
                    var listening = Matching(listener.State, listener.Id);
                    links.AddRange(watched.Select(w => new ListenLink(w, listening, (listener.State, listener.Id))));
                }
            }
        }
        return links;
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
}
