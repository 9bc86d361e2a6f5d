namespace Orchestrator.Shared.Targeting.Matchers;

/// <summary>Matches a grain <c>key:value</c> expression, the value being a case-insensitive glob.</summary>
/// <remarks>
/// Nested keys use the delimiter (<c>locale_info:defaultencoding:UTF-8</c>); when a key holds a list, the target matches if
/// any element matches; booleans, numbers and <c>None</c> compare by their Python string form (<c>True</c>, <c>8</c>,
/// <c>None</c>), case-insensitively. A value that itself contains the delimiter still works: every split is tried,
/// longest key first. <c>key:*</c> only needs the key to be present (with a non-empty value).
/// </remarks>
public sealed class GrainMatcher : ITargetMatcher
{
    private readonly SubdictMatch _match;

    /// <summary>Compiles a <c>key:value</c> grain expression.</summary>
    /// <exception cref="TargetException">The expression does not contain the delimiter.</exception>
    public GrainMatcher(string expression, char delimiter = ':')
    {
        ArgumentNullException.ThrowIfNull(expression);
        Expression = expression;
        Delimiter = delimiter;
        _match = new SubdictMatch(expression, delimiter, regex: false, "Grain");
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
