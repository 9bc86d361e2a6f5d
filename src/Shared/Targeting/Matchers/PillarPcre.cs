namespace Orchestrator.Shared.Targeting.Matchers;

/// <summary>Matches a pillar <c>key:regex</c> expression (<c>J@</c>, <c>-J</c>), with the same rules as <see cref="GrainPcreMatcher"/>.</summary>
/// <remarks>A minion whose pillar is unknown (<c>null</c>) never matches.</remarks>
public sealed class PillarPcreMatcher : ITargetMatcher
{
    private readonly SubdictMatch _match;

    /// <summary>Compiles a <c>key:regex</c> pillar expression.</summary>
    /// <exception cref="TargetException">The expression has no delimiter or the regex is invalid.</exception>
    public PillarPcreMatcher(string expression, char delimiter = ':')
    {
        ArgumentNullException.ThrowIfNull(expression);
        Expression = expression;
        Delimiter = delimiter;
        _match = new SubdictMatch(expression, delimiter, regex: true, "Pillar PCRE");
    }

    /// <summary>The expression as given.</summary>
    public string Expression { get; }

    /// <summary>The delimiter between nested keys and the value.</summary>
    public char Delimiter { get; }

    /// <inheritdoc />
    public bool Matches(MinionFacts facts) => _match.Matches(facts.Pillar);

    /// <inheritdoc />
    public override string ToString() => Expression;
}
