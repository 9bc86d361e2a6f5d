using Orchestrator.Shared.Targeting.Matchers;

namespace Orchestrator.Shared.Targeting;

/// <summary>A compiled target expression: parse once with <see cref="TargetMatcher.Parse(string, TargetType, IReadOnlyDictionary{string, object?}?, char)"/>,
/// then match any number of minions, from any number of threads.</summary>
public sealed class TargetExpression : ITargetMatcher
{
    internal TargetExpression(string expression, TargetType type, ITargetMatcher matcher)
    {
        Expression = expression;
        Type = type;
        Matcher = matcher;
    }

    /// <summary>The expression as given.</summary>
    public string Expression { get; }

    /// <summary>The target type the expression was compiled as.</summary>
    public TargetType Type { get; }

    /// <summary>The compiled matcher (a <see cref="GlobMatcher"/>, <see cref="CompoundMatcher"/>...).</summary>
    public ITargetMatcher Matcher { get; }

    /// <inheritdoc />
    public bool Matches(MinionFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        return Matcher.Matches(facts);
    }

    /// <summary>Returns the ids of the minions this target selects, in the order given: the minions the master expects returns from.</summary>
    public IReadOnlyList<string> SelectMinions(IEnumerable<MinionFacts> minions)
    {
        ArgumentNullException.ThrowIfNull(minions);
        var selected = new List<string>();
        foreach (var facts in minions)
        {
            if (Matcher.Matches(facts))
            {
                selected.Add(facts.Id);
            }
        }
        return selected;
    }

    /// <summary>For a list target, the listed ids that are not among <paramref name="knownMinionIds"/> (Salt's <c>missing</c>);
    /// empty for every other target type.</summary>
    public IReadOnlyList<string> MissingMinions(IEnumerable<string> knownMinionIds)
    {
        ArgumentNullException.ThrowIfNull(knownMinionIds);
        if (Matcher is not ListMatcher list)
        {
            return [];
        }
        var known = knownMinionIds as IReadOnlySet<string> ?? new HashSet<string>(knownMinionIds, StringComparer.Ordinal);
        return [.. list.Ids.Where(id => !known.Contains(id))];
    }

    /// <inheritdoc />
    public override string ToString() => $"{Type.ToSaltName()}:{Expression}";
}
