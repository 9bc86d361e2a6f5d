namespace Orchestrator.Shared.States;

/// <summary>
/// Where SLS files come from: directories on disk (<see cref="FileRoots"/>) or one git commit's tree (git_pillar).
/// </summary>
public interface ISlsTree
{
    /// <summary>The environments the tree has.</summary>
    IEnumerable<string> Environments { get; }

    /// <summary>A file of an environment, or null when it is absent or its path unsafe.</summary>
    SlsFile? Find(string saltenv, string path);
}
