namespace Orchestrator.Master.Reactor;

/// <summary>
/// Why a reactor SLS gave no action, or why an action failed: the file, its line (0 when unknown) and, when one entry
/// is to blame, its id.
/// </summary>
public sealed record ReactorError(string Rule, string File, int Line, string Message, string? Id = null)
{
    /// <summary>Where and what, as one line: <c>/srv/reactor/a.sls, line 3: ...</c>.</summary>
    public string Describe() => Line > 0 ? $"{File}, line {Line}: {Message}" : $"{File}: {Message}";

    public Dictionary<string, object?> ToData() => new(StringComparer.Ordinal)
    {
        ["rule"] = Rule,
        ["file"] = File,
        ["line"] = (long)Line,
        ["id"] = Id,
        ["error"] = Message,
    };
}
