using System.Security.Cryptography;
using System.Text;
using LibGit2Sharp;
using Microsoft.Extensions.Logging;

namespace Orchestrator.Master.FileServer.Gitfs;

/// <summary>
/// The bare cache repositories of one git role (gitfs, git_pillar) under its cache root: fetching a remote under its
/// update lock, and clearing a lock a crashed master left. A failed fetch leaves the cache's refs as they were.
/// </summary>
public sealed class GitMirror(string cacheRoot, string role, ILogger logger)
{
    public const string RemoteName = "origin";
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public string CacheRoot => cacheRoot;

    /// <summary>The bare cache repository of a remote: a hash of its URL, as Salt keys its cache.</summary>
    public string CacheDirOf(string url) =>
        Path.Combine(cacheRoot, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(url)))[..20]);

    public string LockFileOf(string url) => CacheDirOf(url) + ".update.lk";

    /// <summary>
    /// Fetches one remote's branches and tags into its cache with its credentials (https user/password, ssh key, TLS
    /// verification); <paramref name="id"/> names it in the result.
    /// </summary>
    public GitfsUpdateResult Fetch(string id, string url, GitCredentials credentials)
    {
        var dir = CacheDirOf(url);
        Directory.CreateDirectory(cacheRoot, Private);
        var lockFile = LockFileOf(url);
        if (TakeLock(lockFile) is not { } lockStream)
        {
            GitfsLog.Locked(logger, role, id, lockFile);
            return new GitfsUpdateResult(id, false, false, $"update lock {lockFile} is held by another update");
        }
        using (lockStream)
        {
            try
            {
                if (!Repository.IsValid(dir))
                {
                    Directory.CreateDirectory(dir, Private);
                    Repository.Init(dir, isBare: true);
                }
                using var repo = new Repository(dir);
                if (repo.Network.Remotes[RemoteName] is null)
                {
                    repo.Network.Remotes.Add(RemoteName, url);
                }
                else if (repo.Network.Remotes[RemoteName].Url != url)
                {
                    repo.Network.Remotes.Update(RemoteName, r => r.Url = url);
                }
                if (GitCredentials.Scheme(url) == "ssh")
                {
                    repo.Config.Set("core.sshCommand", GitSshCommand.Write(cacheRoot, dir, credentials));
                }
                var before = Snapshot(repo);
                // Forced refspecs follow force-pushed branches and moved tags; prune drops deleted branches.
                Commands.Fetch(repo, RemoteName, ["+refs/heads/*:refs/remotes/origin/*", "+refs/tags/*:refs/tags/*"],
                    FetchOptionsFor(credentials), null);
                var changed = !before.SequenceEqual(Snapshot(repo));
                GitfsLog.Updated(logger, role, id, changed);
                return new GitfsUpdateResult(id, true, changed, changed ? "updated" : "up to date");
            }
            catch (Exception e) when (e is LibGit2SharpException or IOException or UnauthorizedAccessException)
            {
                GitfsLog.UpdateFailed(logger, role, id, e.Message);
                return new GitfsUpdateResult(id, false, false, e.Message);
            }
        }
    }

    private static FetchOptions FetchOptionsFor(GitCredentials credentials)
    {
        var fetch = new FetchOptions { Prune = true, TagFetchMode = TagFetchMode.None };
        if (credentials.User.Length > 0)
        {
            var given = false;
            fetch.CredentialsProvider = (_, _, _) =>
            {
                // Asked again means refused: answering once more would only loop until libgit2 gives up.
                if (given)
                {
                    throw new LibGit2SharpException($"authentication as {credentials.User} was refused");
                }
                given = true;
                return new UsernamePasswordCredentials { Username = credentials.User, Password = credentials.Password };
            };
        }
        if (!credentials.SslVerify)
        {
            fetch.CertificateCheck = (_, _, _) => true;
        }
        return fetch;
    }

    /// <summary>Whether a remote is chosen by a <c>remote=</c> filter: a glob over its URL, or else a part of it (null: all).</summary>
    public static bool Chosen(string url, string? filter) =>
        filter is null
        || (filter.IndexOfAny(['*', '?', '[']) >= 0
            ? System.IO.Enumeration.FileSystemName.MatchesSimpleExpression(filter, url, ignoreCase: false)
            : url.Contains(filter, StringComparison.Ordinal));

    /// <summary>
    /// Removes a remote's update lock whoever holds it, as Salt's <c>clear_lock</c> does: the messages of what was removed
    /// and of what could not be (no lock is neither).
    /// </summary>
    public (IReadOnlyList<string> Cleared, IReadOnlyList<string> Errors) ClearLock(string id, string url)
    {
        var lockFile = LockFileOf(url);
        try
        {
            if (Directory.Exists(lockFile))
            {
                Directory.Delete(lockFile, recursive: true);
            }
            else if (File.Exists(lockFile))
            {
                File.Delete(lockFile);
            }
            else
            {
                return ([], []);
            }
            Pillar.GitPillar.GitPillarLog.LockCleared(logger, role, id, lockFile);
            return ([$"Removed update lock for {role} remote '{id}'"], []);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return ([], [$"Unable to remove update lock for {url} ({lockFile}): {e.Message}"]);
        }
    }

    /// <summary>
    /// The update lock of a remote, holding this process's id, or null while another live process holds it. Another master
    /// process on the same cachedir fetching at once would race on the refs; a lock left by a process that died is removed.
    /// </summary>
    private FileStream? TakeLock(string lockFile)
    {
        for (var attempt = 0; attempt < 2; attempt++)
        {
            try
            {
                var stream = new FileStream(lockFile, FileMode.CreateNew, FileAccess.Write, FileShare.Read, 1, FileOptions.DeleteOnClose);
                stream.Write(Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                stream.Flush();
                return stream;
            }
            catch (IOException) when (attempt == 0 && IsStale(lockFile))
            {
                GitfsLog.StaleLock(logger, role, lockFile);
                File.Delete(lockFile);
            }
            catch (IOException)
            {
                return null;
            }
        }
        return null;
    }

    // Only a lock naming a process that is gone is stale: an empty one may be being written right now.
    private static bool IsStale(string lockFile)
    {
        try
        {
            if (!int.TryParse(File.ReadAllText(lockFile).Trim(), out var pid))
            {
                return false;
            }
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return process.HasExited;
        }
        catch (ArgumentException)
        {
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static List<string> Snapshot(Repository repo) =>
        [.. repo.Refs.Select(r => r.CanonicalName + "=" + r.TargetIdentifier).Order(StringComparer.Ordinal)];
}
