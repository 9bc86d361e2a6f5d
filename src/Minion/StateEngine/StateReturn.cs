namespace Orchestrator.Minion.StateEngine;

/// <summary>What a state function returns: Salt's <c>{name, result, changes, comment}</c> plus optional extra keys.</summary>
public sealed class StateReturn
{
    public required string Name { get; init; }

    /// <summary>True = in the desired state; false = failed; null = would change (test mode).</summary>
    public bool? Result { get; set; }

    public Dictionary<string, object?> Changes { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Usually a string; Salt lets some checks return a list of lines.</summary>
    public object? Comment { get; set; } = string.Empty;

    /// <summary>Extra keys copied into the return (<c>skip_watch</c>, <c>warnings</c>...).</summary>
    public Dictionary<string, object?> Extra { get; } = new(StringComparer.Ordinal);

    public static StateReturn Ok(string name, string comment) => new() { Name = name, Result = true, Comment = comment };

    public static StateReturn Fail(string name, string comment) => new() { Name = name, Result = false, Comment = comment };

    public static StateReturn Pending(string name, string comment, Dictionary<string, object?>? changes = null) =>
        new() { Name = name, Result = null, Comment = comment, Changes = changes ?? new(StringComparer.Ordinal) };

    /// <summary>The return as a data tree, as stored in the running dictionary.</summary>
    public Dictionary<string, object?> ToDictionary()
    {
        var dict = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["name"] = Name,
            ["changes"] = Changes,
            ["result"] = Result,
            ["comment"] = Comment,
        };
        foreach (var (key, value) in Extra)
        {
            dict[key] = value;
        }
        return dict;
    }
}
