namespace Orchestrator.Minion.Modules.Grains;

/// <summary>What grain providers may look at: the minion's identity, its options and the host filesystem root.</summary>
public sealed class GrainContext
{
    public required string MinionId { get; init; }

    /// <summary>The filesystem root providers read (<c>/etc/os-release</c>, <c>/proc/meminfo</c>) under; "/" outside tests.</summary>
    public string Root { get; init; } = "/";

    /// <summary>The minion cache directory; when set, grains saved by <c>grains.setval</c> are loaded from it.</summary>
    public string? CacheDir { get; init; }

    /// <summary>The minion's configuration (Salt's opts).</summary>
    public IReadOnlyDictionary<string, object?> Opts { get; init; } = new Dictionary<string, object?>();

    /// <summary>Maps an absolute host path (<c>/etc/os-release</c>) into <see cref="Root"/>.</summary>
    public string HostPath(string absolutePath) => Path.Combine(Root, absolutePath.TrimStart('/'));

    /// <summary>Reads a host file, or returns null when it is missing or unreadable.</summary>
    public string? ReadHostFile(string absolutePath)
    {
        try
        {
            return File.ReadAllText(HostPath(absolutePath));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
