using Orchestrator.Shared.Targeting;
using Orchestrator.Shared.Data;

namespace Orchestrator.Minion.StateEngine.Requisites;

/// <summary>
/// Finds the chunks a requisite reference points at, as Salt's scan with <c>fnmatch</c> over name and ID (or SLS) does,
/// in chunk order. A literal reference (the usual case) is one lookup by name, ID or SLS instead of a scan.
/// </summary>
internal sealed class ChunkIndex
{
    private readonly IReadOnlyList<LowChunk> _chunks;
    private readonly Dictionary<string, List<LowChunk>> _byNameOrId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<LowChunk>> _bySls = new(StringComparer.Ordinal);

    public ChunkIndex(IReadOnlyList<LowChunk> chunks)
    {
        _chunks = chunks;
        foreach (var chunk in chunks)
        {
            Add(_byNameOrId, chunk.Name, chunk);
            if (chunk.Id != chunk.Name)
            {
                Add(_byNameOrId, chunk.Id, chunk);
            }
            Add(_bySls, chunk.Sls, chunk);
        }
    }

    public List<LowChunk> Match(RequisiteReference reference)
    {
        var result = new List<LowChunk>();
        if (reference.Value is null)
        {
            return result;
        }
        var text = reference.Text;
        var pattern = FnMatch.Compile(text);
        IEnumerable<LowChunk> candidates = text.AsSpan().IndexOfAny('*', '?', '[') >= 0
            ? _chunks
            : (reference.IsSls ? _bySls : _byNameOrId).GetValueOrDefault(text) ?? [];
        foreach (var chunk in candidates)
        {
            if (Matches(chunk, reference.Key, pattern))
            {
                result.Add(chunk);
            }
        }
        return result;
    }

    private static bool Matches(LowChunk chunk, string key, FnMatch pattern)
    {
        if (key == "sls")
        {
            return pattern.IsMatch(chunk.Sls);
        }
        return (pattern.IsMatch(chunk.Name) || pattern.IsMatch(chunk.Id)) && (key == "id" || chunk.State == key);
    }

    private static void Add(Dictionary<string, List<LowChunk>> map, string key, LowChunk chunk)
    {
        if (!map.TryGetValue(key, out var list))
        {
            list = [];
            map[key] = list;
        }
        list.Add(chunk);
    }
}
