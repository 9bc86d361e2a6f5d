using System.Text.RegularExpressions;

namespace Orchestrator.Shared.Targeting;

/// <summary>
/// Salt's <c>expr_match</c>, compiled once: a value matches when it equals the expression, matches it as a shell glob, or
/// matches it as a whole-string Python regex. <c>state.event</c>'s <c>tagmatch</c> uses it.
/// </summary>
public sealed class ExprMatch
{
    private readonly string _expression;
    private readonly FnMatch _glob;
    private readonly Regex? _regex;

    /// <summary>Compiles <paramref name="expression"/>; an expression that is no valid regex still matches as text and glob.</summary>
    public ExprMatch(string expression)
    {
        _expression = expression;
        _glob = FnMatch.Compile(expression);
        _regex = PythonRegex.TryCompileMatch(expression + @"\Z");
    }

    /// <summary>Whether <paramref name="value"/> matches.</summary>
    public bool IsMatch(string value) =>
        value == _expression || _glob.IsMatch(value) || (_regex is not null && _regex.IsMatch(value));
}
