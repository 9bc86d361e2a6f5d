using Orchestrator.Shared.Targeting;

namespace Orchestrator.Master.Reactor;

/// <summary>
/// One entry of the master's <c>reactor:</c> list, <c>{tag glob: [sls file, ...]}</c>: events whose tag matches the glob
/// (Python <c>fnmatch</c>, as Salt) render the files, in order.
/// </summary>
public sealed class ReactorRule
{
    private readonly FnMatch _glob;

    public ReactorRule(string tag, IReadOnlyList<string> files)
    {
        Tag = tag;
        Files = files;
        _glob = FnMatch.Compile(tag);
        Key = tag + " -> " + string.Join(", ", files);
    }

    /// <summary>The tag glob.</summary>
    public string Tag { get; }

    /// <summary>Reactor SLS files: absolute paths (globs allowed) or <c>salt://</c> URLs.</summary>
    public IReadOnlyList<string> Files { get; }

    /// <summary>
    /// What the rate limit and the de-duplication window count by: the rule's content, so a rule keeps its budget when
    /// others are added or deleted before it.
    /// </summary>
    public string Key { get; }

    public bool Matches(string tag) => _glob.IsMatch(tag);

    /// <summary>As <c>reactor.list</c> and Salt print a rule: <c>{tag: [files]}</c>.</summary>
    public Dictionary<string, object?> Describe() =>
        new(StringComparer.Ordinal) { [Tag] = Files.Cast<object?>().ToList() };

    public override string ToString() => Key;
}
