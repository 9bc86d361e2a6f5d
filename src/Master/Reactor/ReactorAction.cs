using Orchestrator.Shared.Data;

namespace Orchestrator.Master.Reactor;

/// <summary>
/// One action a rendered reactor SLS asks for (an id and its <c>local.cmd.run: [...]</c>), with its arguments resolved
/// the way Salt 3006's ReactWrap resolves them.
/// </summary>
public sealed record ReactorAction(
    string Rule,
    string File,
    int Line,
    string Id,
    ReactionKind Kind,
    string Function,
    List<object?> Args,
    Dictionary<string, object?> Kwargs)
{
    /// <summary>The target of a <c>local</c> action.</summary>
    public string? Target { get; init; }

    /// <summary>The target type of a <c>local</c> action (<c>tgt_type</c>, or the old <c>expr_form</c>).</summary>
    public string TargetType { get; init; } = "glob";

    /// <summary>Seconds a <c>local</c> job is tracked (<c>timeout</c>); the master's <c>timeout</c> when null.</summary>
    public int? Timeout { get; init; }

    /// <summary>The function as Salt names the reaction: <c>local.cmd.run</c>.</summary>
    public string Fun => $"{Kind.ToString().ToLowerInvariant()}.{Function}";

    /// <summary>
    /// What makes two actions the same for the de-duplication window: everything that changes what runs, not where it
    /// was written.
    /// </summary>
    public string DedupKey => DataTree.ToJson(new Dictionary<string, object?>(StringComparer.Ordinal)
    {
        ["fun"] = Fun,
        ["tgt"] = Target,
        ["tgt_type"] = Target is null ? null : TargetType,
        ["arg"] = Args,
        ["kwarg"] = Kwargs,
    }, indent: false);

    /// <summary>As <c>reactor.test</c> shows an action.</summary>
    public Dictionary<string, object?> Describe()
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["rule"] = Rule,
            ["file"] = File,
            ["line"] = (long)Line,
            ["id"] = Id,
            ["fun"] = Fun,
        };
        if (Target is not null)
        {
            result["tgt"] = Target;
            result["tgt_type"] = TargetType;
        }
        result["arg"] = Args;
        result["kwarg"] = Kwargs;
        return result;
    }
}
