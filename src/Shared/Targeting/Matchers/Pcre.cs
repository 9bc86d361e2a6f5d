using System.Text.RegularExpressions;

namespace Orchestrator.Shared.Targeting.Matchers;

/// <summary>Matches the minion id against a regular expression with Python <c>re.match</c> semantics.</summary>
/// <remarks>The match is anchored at the start of the id but not at the end (<c>web</c> matches <c>web01</c>; add <c>$</c>
/// for a full match) and is case-sensitive. Python's <c>(?P&lt;name&gt;...)</c>, <c>(?P=name)</c> and <c>\Z</c> are accepted.</remarks>
public sealed class PcreMatcher : ITargetMatcher
{
    private readonly Regex _regex;

    /// <summary>Compiles the pattern.</summary>
    /// <exception cref="TargetException">The pattern is not a valid regular expression.</exception>
    public PcreMatcher(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        Pattern = pattern;
        _regex = PythonRegex.CompileMatch(pattern, "PCRE target");
    }

    /// <summary>The pattern as given.</summary>
    public string Pattern { get; }

    /// <inheritdoc />
    public bool Matches(MinionFacts facts) => _regex.IsMatch(facts.Id);

    /// <inheritdoc />
    public override string ToString() => Pattern;
}
