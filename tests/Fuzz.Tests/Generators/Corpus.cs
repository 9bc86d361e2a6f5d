namespace Orchestrator.Fuzz.Tests.Generators;

/// <summary>Seed files copied next to the test assembly: the repository's states, pillars and reactor files and the Salt template corpus.</summary>
public static class Corpus
{
    private static readonly Lazy<string[]> _sls = new(() => Read("states", "pillars", "reactor"));
    private static readonly Lazy<string[]> _templates = new(() => Read("salt-templates"));

    /// <summary>The SLS, YAML and reactor files (Jinja and YAML).</summary>
    public static IReadOnlyList<string> Sls => _sls.Value;

    /// <summary>The Salt Jinja template corpus (<c>tpl.jinja</c> files).</summary>
    public static IReadOnlyList<string> Templates => _templates.Value;

    private static string[] Read(params string[] folders)
    {
        var files = folders
            .Select(f => Path.Combine(AppContext.BaseDirectory, "Corpus", f))
            .Where(Directory.Exists)
            .SelectMany(d => Directory.EnumerateFiles(d, "*", SearchOption.AllDirectories))
            .Order(StringComparer.Ordinal)
            .Select(File.ReadAllText)
            .ToArray();
        return files.Length > 0 ? files : throw new InvalidOperationException($"no seed files under Corpus/{string.Join(", ", folders)}");
    }
}
