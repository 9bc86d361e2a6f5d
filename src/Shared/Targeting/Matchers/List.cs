namespace Orchestrator.Shared.Targeting.Matchers;

/// <summary>Matches minions whose id is exactly one of a list of ids (no globbing).</summary>
/// <remarks>The string form is comma-separated, as in <c>-L web1,web2</c>; surrounding whitespace is ignored and, like
/// Salt's CLI, a list without commas may also be separated by spaces.</remarks>
public sealed class ListMatcher : ITargetMatcher
{
    private readonly HashSet<string> _set;

    /// <summary>Creates the matcher from a comma- (or whitespace-) separated list of ids.</summary>
    public ListMatcher(string ids)
        : this(SplitIds(ids ?? throw new ArgumentNullException(nameof(ids))))
    {
    }

    /// <summary>Creates the matcher from a sequence of ids.</summary>
    public ListMatcher(IEnumerable<string> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var ordered = new List<string>();
        _set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var id in ids)
        {
            var trimmed = id?.Trim();
            if (!string.IsNullOrEmpty(trimmed) && _set.Add(trimmed))
            {
                ordered.Add(trimmed);
            }
        }
        Ids = ordered;
    }

    /// <summary>The ids, de-duplicated, in the order given.</summary>
    public IReadOnlyList<string> Ids { get; }

    /// <inheritdoc />
    public bool Matches(MinionFacts facts) => _set.Contains(facts.Id);

    /// <inheritdoc />
    public override string ToString() => string.Join(",", Ids);

    private static IEnumerable<string> SplitIds(string ids) =>
        ids.Contains(',')
            ? ids.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            : ids.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
}
