using Orchestrator.Shared.Targeting.Matchers;

namespace Orchestrator.Shared.Targeting;

/// <summary>Entry point for Salt targeting: compiles <c>(tgt, tgt_type)</c> pairs and matches minions against them.</summary>
/// <remarks>
/// Semantics follow Salt 3006 (<c>salt/matchers/*</c>, <c>salt/utils/minions.py</c>). Compile with <see cref="Parse(string, TargetType, IReadOnlyDictionary{string, object?}?, char)"/>
/// when matching many minions (the master computing whom a publish expects); <see cref="Matches"/> compiles and matches in one go.
/// </remarks>
public static class TargetMatcher
{
    /// <summary>Returns whether the minion is targeted by <paramref name="expression"/> of type <paramref name="type"/>.</summary>
    /// <param name="expression">The target (Salt's <c>tgt</c>).</param>
    /// <param name="type">The target type (Salt's <c>tgt_type</c>).</param>
    /// <param name="facts">The minion's id, grains and pillar.</param>
    /// <param name="nodegroups">The master's <c>nodegroups</c> configuration, for nodegroup targets and <c>N@</c>.</param>
    /// <param name="delimiter">The key delimiter for grain and pillar targets (Salt's <c>delimiter</c>); compound words set their own with <c>G|@</c>.</param>
    /// <exception cref="TargetException">The expression is invalid.</exception>
    public static bool Matches(
        string expression,
        TargetType type,
        MinionFacts facts,
        IReadOnlyDictionary<string, object?>? nodegroups = null,
        char delimiter = ':')
    {
        ArgumentNullException.ThrowIfNull(facts);
        return Parse(expression, type, nodegroups, delimiter).Matches(facts);
    }

    /// <summary>Compiles a target into a reusable, thread-safe <see cref="TargetExpression"/>.</summary>
    /// <param name="expression">The target (Salt's <c>tgt</c>).</param>
    /// <param name="type">The target type (Salt's <c>tgt_type</c>).</param>
    /// <param name="nodegroups">The master's <c>nodegroups</c> configuration, for nodegroup targets and <c>N@</c>.</param>
    /// <param name="delimiter">The key delimiter for grain and pillar targets.</param>
    /// <exception cref="TargetException">The expression is invalid: bad regex, unbalanced parentheses, unknown <c>X@</c> prefix,
    /// bad CIDR, grain/pillar target without delimiter, unknown or cyclic nodegroup.</exception>
    public static TargetExpression Parse(
        string expression,
        TargetType type,
        IReadOnlyDictionary<string, object?>? nodegroups = null,
        char delimiter = ':')
    {
        ArgumentNullException.ThrowIfNull(expression);
        ITargetMatcher matcher = type switch
        {
            TargetType.Glob => new GlobMatcher(expression),
            TargetType.List => new ListMatcher(expression),
            TargetType.Pcre => new PcreMatcher(expression),
            TargetType.Grain => new GrainMatcher(expression, delimiter),
            TargetType.GrainPcre => new GrainPcreMatcher(expression, delimiter),
            TargetType.Pillar => new PillarMatcher(expression, delimiter),
            TargetType.PillarPcre => new PillarPcreMatcher(expression, delimiter),
            TargetType.Subnet => new SubnetMatcher(expression),
            TargetType.Nodegroup => CompoundMatcher.ForNodegroup(expression, nodegroups),
            TargetType.Compound => new CompoundMatcher(expression, nodegroups),
            _ => throw new TargetException($"Unknown target type {type}."),
        };
        return new TargetExpression(expression, type, matcher);
    }

    /// <summary>Compiles a target given as a sequence: a list of ids (<see cref="TargetType.List"/>) or of compound words
    /// (<see cref="TargetType.Compound"/>, each element one word).</summary>
    /// <exception cref="TargetException">The type does not accept a sequence, or the expression is invalid.</exception>
    public static TargetExpression Parse(
        IEnumerable<string> expression,
        TargetType type,
        IReadOnlyDictionary<string, object?>? nodegroups = null,
        char delimiter = ':')
    {
        ArgumentNullException.ThrowIfNull(expression);
        var words = expression.ToList();
        return type switch
        {
            TargetType.List => new TargetExpression(string.Join(",", words), type, new ListMatcher(words)),
            TargetType.Compound => new TargetExpression(string.Join(" ", words), type, new CompoundMatcher(words, nodegroups)),
            _ when words.Count == 1 => Parse(words[0], type, nodegroups, delimiter),
            _ => throw new TargetException($"A {type.ToSaltName()} target must be a single string, not a list."),
        };
    }

    /// <summary>Returns the ids of the known minions a target selects (in the order given): whom the master waits for.</summary>
    /// <exception cref="TargetException">The expression is invalid.</exception>
    public static IReadOnlyList<string> ExpectedMinions(
        string expression,
        TargetType type,
        IEnumerable<MinionFacts> minions,
        IReadOnlyDictionary<string, object?>? nodegroups = null,
        char delimiter = ':') =>
        Parse(expression, type, nodegroups, delimiter).SelectMinions(minions);
}
