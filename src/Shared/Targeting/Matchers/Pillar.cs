namespace Orchestrator.Shared.Targeting.Matchers;

/// <summary>Matches a pillar <c>key:value</c> expression (<c>I@</c>, <c>-I</c>), with the same rules as <see cref="GrainMatcher"/>.</summary>
/// <remarks>A minion whose pillar is unknown (<c>null</c>) never matches.</remarks>
public sealed class PillarMatcher : ITargetMatcher
{
    private readonly SubdictMatch _match;

    /// <summary>Compiles a <c>key:value</c> pillar expression.</summary>
    /// <exception cref="TargetException">The expression does not contain the delimiter.</exception>
    public PillarMatcher(string expression, char delimiter = ':')
    {
        ArgumentNullException.ThrowIfNull(expression);
        Expression = expression;
        Delimiter = delimiter;
        _match = new SubdictMatch(expression, delimiter, regex: false, "Pillar");
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
