using Orchestrator.Shared.States;

namespace Orchestrator.Master.Pillar.GitPillar;

/// <summary>
/// The files of one git commit (under a root) as the single environment of a pillar tree. They are read out of the commit
/// at once, so one compile sees one whole commit even while a fetch moves the branch.
/// </summary>
public sealed class GitCommitTree(string env, string label, IReadOnlyDictionary<string, string> files) : ISlsTree
{
    public IEnumerable<string> Environments => [env];

    public SlsFile? Find(string saltenv, string path)
    {
        if (saltenv != env)
        {
            return null;
        }
        var relative = path.StartsWith("salt://", StringComparison.Ordinal) ? path["salt://".Length..] : path;
        var parts = relative.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0 || parts.Any(p => p is "." or ".."))
        {
            return null;
        }
        var clean = string.Join('/', parts);
        return files.TryGetValue(clean, out var text) ? new SlsFile($"{label}/{clean}", text) : null;
    }
}
