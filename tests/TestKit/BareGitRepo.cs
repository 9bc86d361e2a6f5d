using LibGit2Sharp;

namespace Orchestrator.Testing;

/// <summary>
/// A bare git repository in a temp dir that tests write commits into directly (trees built in the object database, no
/// working copy), to serve as a gitfs remote over a file:// URL.
/// </summary>
public sealed class BareGitRepo : IDisposable
{
    private static readonly Signature Author = new("Test", "test@example.invalid", DateTimeOffset.UnixEpoch);
    private readonly TempDir _dir = new();

    public BareGitRepo()
    {
        Repository.Init(_dir.Path, isBare: true);
    }

    public string Path => _dir.Path;

    public string Url => new Uri(_dir.Path).AbsoluteUri;

    /// <summary>Commits a whole tree (path → text) on a branch, on top of its tip unless <paramref name="force"/> starts it anew.</summary>
    public string Commit(string branch, IReadOnlyDictionary<string, string> files, bool force = false)
    {
        using var repo = new Repository(_dir.Path);
        var tree = new TreeDefinition();
        foreach (var (path, text) in files)
        {
            var blob = repo.ObjectDatabase.CreateBlob(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text)));
            tree.Add(path, blob, Mode.NonExecutableFile);
        }
        var parent = force ? null : repo.Branches[branch]?.Tip;
        var commit = repo.ObjectDatabase.CreateCommit(Author, Author, $"commit on {branch}", repo.ObjectDatabase.CreateTree(tree),
            parent is null ? [] : [parent], prettifyMessage: true);
        repo.Refs.UpdateTarget(repo.Refs.Add($"refs/heads/{branch}", commit.Id, allowOverwrite: true), commit.Id);
        return commit.Sha;
    }

    /// <summary>An annotated tag on a branch's tip.</summary>
    public void Tag(string name, string branch)
    {
        using var repo = new Repository(_dir.Path);
        repo.ApplyTag(name, repo.Branches[branch].Tip.Sha, Author, "tag " + name);
    }

    public void Dispose() => _dir.Dispose();
}
