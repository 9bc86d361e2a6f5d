namespace Orchestrator.Shared.Targeting.Matchers;

/// <summary>Matches the minion id against a shell-style glob (<c>*</c>, <c>?</c>, <c>[abc]</c>, <c>[!abc]</c>, <c>[a-z]</c>).</summary>
/// <remarks>Python <c>fnmatch</c> semantics on POSIX: the whole id must match and the match is case-sensitive.
/// An unclosed <c>[</c> is a literal character.</remarks>
public sealed class GlobMatcher : ITargetMatcher
{
    private readonly FnMatch _glob;

    /// <summary>Compiles the glob.</summary>
    public GlobMatcher(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        _glob = FnMatch.Compile(pattern);
    }

    /// <summary>The glob as given.</summary>
    public string Pattern => _glob.Pattern;

    /// <inheritdoc />
    public bool Matches(MinionFacts facts) => _glob.IsMatch(facts.Id);

    /// <inheritdoc />
    public override string ToString() => Pattern;
}
