namespace Orchestrator.Shared.Targeting.Matchers;

/// <summary>Matches a grain <c>key:regex</c> expression (<c>P@</c>, <c>-P</c>).</summary>
/// <remarks>Same traversal as <see cref="GrainMatcher"/>; the value is matched with <c>re.match</c> (anchored at the start
/// only). As in Salt, both the pattern and the value are lower-cased first, so the match is case-insensitive.</remarks>
public sealed class GrainPcreMatcher : ITargetMatcher
{
    private readonly SubdictMatch _match;

    /// <summary>Compiles a <c>key:regex</c> grain expression.</summary>
    /// <exception cref="TargetException">The expression has no delimiter or the regex is invalid.</exception>
    public GrainPcreMatcher(string expression, char delimiter = ':')
    {
        ArgumentNullException.ThrowIfNull(expression);
        Expression = expression;
        Delimiter = delimiter;
        _match = new SubdictMatch(expression, delimiter, regex: true, "Grain PCRE");
    }

    /// <summary>The expression as given.</summary>
    public string Expression { get; }

    /// <summary>The delimiter between nested keys and the value.</summary>
    public char Delimiter { get; }

    /// <inheritdoc />
    public bool Matches(MinionFacts facts) => _match.Matches(facts.Grains);

    /// <inheritdoc />
    public override string ToString() => Expression;
}
