using Orchestrator.Master.FileServer.Gitfs;
using Orchestrator.Master.Hosting;
using Orchestrator.Master.Pillar;
using Orchestrator.Master.Pillar.GitPillar;
using Orchestrator.Shared.Config;
using Orchestrator.Testing;

namespace Orchestrator.Master.Tests.Pillar.GitPillar;

public sealed class GitPillarTests : IDisposable
{
    private readonly TempDir _cache = new();
    private readonly TempDir _roots = new();
    private readonly BareGitRepo _repo = new();

    public void Dispose()
    {
        _cache.Dispose();
        _roots.Dispose();
        _repo.Dispose();
    }

    private static Dictionary<string, string> Files(params (string Path, string Text)[] files) =>
        files.ToDictionary(f => f.Path, f => f.Text, StringComparer.Ordinal);

    private MasterOptions Options(string extPillarYaml, bool withRoots = false)
    {
        var path = Path.Combine(_cache.Path, "master");
        var roots = withRoots ? $"pillar_roots:\n  base:\n    - {_roots.Path}\n" : "";
        File.WriteAllText(path, $"cachedir: {_cache.Path}\n{roots}{extPillarYaml}");
        return MasterOptions.Load(_cache.Path, _ => { });
    }

    private string OldForm => $"ext_pillar:\n  - git:\n    - master {_repo.Url}\n";

    private static Task<CompiledPillar> CompileAsync(PillarCompiler compiler, string minion) =>
        compiler.CompileAsync(minion, new Dictionary<string, object?> { ["id"] = minion }, "base", [], CancellationToken.None);

    private static async Task<(GitPillarBackend, PillarCompiler)> StartedAsync(MasterOptions options)
    {
        var git = new GitPillarBackend(options);
        var results = await git.UpdateAsync(CancellationToken.None);
        Assert.All(results, r => Assert.True(r.Success, r.Comment));
        return (git, new PillarCompiler(options, null, git));
    }

    [Fact]
    public async Task GitPillarValue_ReachesOnlyTheMinionItsTopTargets()
    {
        _repo.Commit("master", Files(("top.sls", "base:\n  'web1':\n    - app\n"), ("app.sls", "key: from-git\n")));
        var (_, compiler) = await StartedAsync(Options(OldForm));

        var web1 = await CompileAsync(compiler, "web1");
        var web2 = await CompileAsync(compiler, "web2");

        Assert.Empty(web1.Errors);
        Assert.Equal("from-git", web1.Pillar["key"]);
        Assert.False(web2.Pillar.ContainsKey("key"));
        var mode = File.GetUnixFileMode(Path.Combine(_cache.Path, "git_pillar"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, mode);
    }

    [Fact]
    public async Task ExtPillar_OverridesPillarRoots_OnASharedKey_AndMergesMappings()
    {
        File.WriteAllText(Path.Combine(_roots.Path, "top.sls"), "base:\n  '*':\n    - common\n");
        File.WriteAllText(Path.Combine(_roots.Path, "common.sls"), "shared: roots\nsite:\n  name: roots\n  port: 80\n");
        _repo.Commit("master", Files(("pillar/top.sls", "base:\n  '*':\n    - site\n"), ("pillar/site.sls", "shared: git\nsite:\n  name: git\n")));
        var yaml = $"ext_pillar:\n  - git:\n    - {_repo.Url}:\n      - root: pillar\n      - env: base\n";
        var (_, compiler) = await StartedAsync(Options(yaml, withRoots: true));

        var compiled = await CompileAsync(compiler, "web1");

        Assert.Empty(compiled.Errors);
        Assert.Equal("git", compiled.Pillar["shared"]);
        var site = Assert.IsType<Dictionary<string, object?>>(compiled.Pillar["site"]);
        Assert.Equal("git", site["name"]);
        Assert.Equal(80L, Convert.ToInt64(site["port"], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Update_AfterANewCommit_ServesIt_AndABrokenRemoteKeepsItsLastValues()
    {
        _repo.Commit("master", Files(("top.sls", "base:\n  '*':\n    - app\n"), ("app.sls", "key: one\n")));
        using var other = new BareGitRepo();
        other.Commit("master", Files(("top.sls", "base:\n  '*':\n    - o\n"), ("o.sls", "other: kept\n")));
        var otherDir = other.Path;
        var yaml = $"ext_pillar:\n  - git:\n    - master {_repo.Url}\n    - master {other.Url}\n";
        var (git, compiler) = await StartedAsync(Options(yaml));
        Assert.Equal("one", (await CompileAsync(compiler, "web1")).Pillar["key"]);

        _repo.Commit("master", Files(("top.sls", "base:\n  '*':\n    - app\n"), ("app.sls", "key: two\n")));
        Directory.Delete(otherDir, recursive: true);
        var results = await git.UpdateAsync(CancellationToken.None);

        Assert.True(results[0].Success);
        Assert.True(results[0].Changed);
        Assert.Equal($"master {_repo.Url}", results[0].Remote);
        Assert.False(results[1].Success);
        var compiled = await CompileAsync(compiler, "web1");
        Assert.Equal("two", compiled.Pillar["key"]);
        Assert.Equal("kept", compiled.Pillar["other"]);
    }

    [Fact]
    public async Task ClearGitLock_RemovesAHeldLock_SoTheNextUpdateRuns()
    {
        _repo.Commit("master", Files(("top.sls", "base: {}\n")));
        var options = Options(OldForm);
        var git = new GitPillarBackend(options);
        Directory.CreateDirectory(git.CacheRoot);
        var mirror = new GitMirror(git.CacheRoot, "git_pillar", Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        var lockFile = mirror.LockFileOf(_repo.Url);
        // A lock held by a live process (this one) is not stale: the update is refused until it is cleared.
        File.WriteAllText(lockFile, Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.False((await git.UpdateAsync(CancellationToken.None))[0].Success);

        var (cleared, errors) = git.ClearLocks(null);

        Assert.Equal([$"Removed update lock for git_pillar remote 'master {_repo.Url}'"], cleared);
        Assert.Empty(errors);
        Assert.False(File.Exists(lockFile));
        Assert.True((await git.UpdateAsync(CancellationToken.None))[0].Success);
        Assert.Empty(git.ClearLocks(null).Cleared);
    }

    [Fact]
    public async Task ClearGitLock_Gitfs_RemovesTheLockOfItsRemote()
    {
        _repo.Commit("master", Files(("a.sls", "a")));
        var options = new MasterOptions { CacheDir = _cache.Path, Gitfs = new GitfsOptions { Backends = ["gitfs"], Remotes = [new GitfsRemote(_repo.Url)] } };
        var gitfs = new GitfsBackend(options);
        Assert.True((await gitfs.UpdateAsync(CancellationToken.None))[0].Success);
        var lockFile = gitfs.CacheDirOf(new GitfsRemote(_repo.Url)) + ".update.lk";
        File.WriteAllText(lockFile, Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Empty(gitfs.ClearLocks("no-such-host").Cleared);
        Assert.Empty(gitfs.ClearLocks("https://*").Cleared);
        var (cleared, _) = gitfs.ClearLocks("file://*");

        Assert.Equal([$"Removed update lock for gitfs remote '{_repo.Url}'"], cleared);
        Assert.False(File.Exists(lockFile));
    }

    [Fact]
    public void BadExtPillar_FailsNamingTheKey()
    {
        var unknown = Assert.Throws<ConfigException>(() => Options("ext_pillar:\n  - cmd_yaml: cat /etc/x\n"));
        Assert.Contains("unknown external pillar 'cmd_yaml'", unknown.Message);
        var option = Assert.Throws<ConfigException>(() => Options($"ext_pillar:\n  - git:\n    - master {_repo.Url}:\n      - depth: 1\n"));
        Assert.Contains("unknown per-remote option 'depth'", option.Message);
        // A key for a file:// remote, or a missing key file, is a configuration error naming the remote, not a failed fetch.
        var key = Assert.Throws<ConfigException>(() => Options($"ext_pillar:\n  - git:\n    - master {_repo.Url}:\n      - privkey: /k\n"));
        Assert.Contains("privkey is for ssh remotes", key.Message);
        var http = Assert.Throws<ConfigException>(() => Options("ext_pillar:\n  - git:\n    - master http://127.0.0.1:9/p.git:\n      - user: u\n      - password: secret-pw\n"));
        Assert.Contains("insecure_auth", http.Message);
        Assert.DoesNotContain("secret-pw", http.Message);
    }

    [Fact]
    public void RemoteForms_ResolveBranchAndEnv_AsSaltDoes()
    {
        var options = Options($"ext_pillar:\n  - git:\n    - master {_repo.Url}\n    - dev {_repo.Url}\n    - {_repo.Url}\n    - production {_repo.Url}:\n      - env: prod\n");
        Assert.Equal(
            [("master", "base"), ("dev", "dev"), ("master", "base"), ("production", "prod")],
            options.GitPillar.Remotes.Select(r => (r.Branch, r.Env)).ToList());
    }
}
