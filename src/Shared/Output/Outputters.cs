using System.Diagnostics.CodeAnalysis;

namespace Orchestrator.Shared.Output;

/// <summary>The built-in outputters by Salt name: <c>nested</c> (the default), <c>json</c>, <c>yaml</c>, <c>txt</c> (alias
/// <c>text</c>), <c>raw</c> and <c>quiet</c>.</summary>
public static class Outputters
{
    private static readonly Dictionary<string, IOutputter> _byName = new(StringComparer.Ordinal)
    {
        ["doc"] = new DocOutputter(),
        ["highstate"] = new HighstateOutputter(),
        ["json"] = new JsonOutputter(),
        ["nested"] = new NestedOutputter(),
        ["quiet"] = new QuietOutputter(),
        ["raw"] = new RawOutputter(),
        ["txt"] = new TxtOutputter(),
        ["yaml"] = new YamlOutputter(),
    };

    /// <summary>The name of the outputter used when none is given.</summary>
    public const string DefaultName = "nested";

    /// <summary>The registered names, sorted (aliases excluded).</summary>
    public static IReadOnlyList<string> Names { get; } = [.. _byName.Keys.Order(StringComparer.Ordinal)];

    /// <summary>The default outputter (<c>nested</c>).</summary>
    public static IOutputter Default => _byName[DefaultName];

    /// <summary>Returns the outputter called <paramref name="name"/>; <c>null</c> or empty means the default.</summary>
    /// <exception cref="ArgumentException">No outputter has that name; the message lists the valid names.</exception>
    public static IOutputter Get(string? name)
    {
        if (TryGet(name, out var outputter))
        {
            return outputter;
        }
        throw new ArgumentException($"Unknown outputter '{name}'. Available outputters: {string.Join(", ", Names)}.", nameof(name));
    }

    /// <summary>Looks up an outputter by name (<c>text</c> is accepted for <c>txt</c>); <c>null</c> or empty gives the default.</summary>
    public static bool TryGet(string? name, [NotNullWhen(true)] out IOutputter? outputter)
    {
        var key = name?.Trim();
        if (string.IsNullOrEmpty(key))
        {
            outputter = Default;
            return true;
        }
        if (key == "text")
        {
            key = "txt";
        }
        return _byName.TryGetValue(key, out outputter);
    }
}
