using Orchestrator.Master.FileServer.Gitfs;
using Orchestrator.Master.Hosting;
using Orchestrator.Shared.Config;
using Orchestrator.Testing;
using FileServerType = Orchestrator.Master.FileServer.FileServer;

namespace Orchestrator.Master.Tests.Gitfs;

public sealed class GitfsBackendTests : IDisposable
{
    private readonly TempDir _cache = new();
    private readonly BareGitRepo _repo = new();

    public void Dispose()
    {
        _cache.Dispose();
        _repo.Dispose();
    }

    private static Dictionary<string, string> Files(params (string Path, string Text)[] files) =>
        files.ToDictionary(f => f.Path, f => f.Text, StringComparer.Ordinal);

    private MasterOptions Options(params GitfsRemote[] remotes) => new()
    {
        CacheDir = _cache.Path,
        Gitfs = new GitfsOptions { Backends = ["gitfs"], Remotes = [.. remotes] },
    };

    private static string? Text(GitfsBackend gitfs, string saltenv, string path) =>
        gitfs.Read(saltenv, path) is { } bytes ? System.Text.Encoding.UTF8.GetString(bytes) : null;

    private static async Task<GitfsBackend> UpdatedAsync(MasterOptions options)
    {
        var gitfs = new GitfsBackend(options);
        var results = await gitfs.UpdateAsync(CancellationToken.None);
        Assert.All(results, r => Assert.True(r.Success, r.Comment));
        return gitfs;
    }

    [Fact]
    public async Task ServesTheMasterBranchAsBase_AndNothingBeforeTheFirstUpdate()
    {
        _repo.Commit("master", Files(("top.sls", "base: {}"), ("web/init.sls", "nginx: pkg.installed")));
        var options = Options(new GitfsRemote(_repo.Url));
        Assert.Null(new GitfsBackend(options).Read("base", "top.sls"));

        var gitfs = await UpdatedAsync(options);

        Assert.Equal("nginx: pkg.installed", Text(gitfs, "base", "salt://web/init.sls"));
        Assert.Null(Text(gitfs, "master", "top.sls"));
        Assert.Null(Text(gitfs, "base", "web/../../etc/passwd"));
        Assert.Equal(["base"], gitfs.Envs());
        var mode = File.GetUnixFileMode(Path.Combine(_cache.Path, "gitfs"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, mode);
    }

    [Fact]
    public async Task MainIsBaseWhenThereIsNoMaster_ButAnExplicitBaseWins()
    {
        _repo.Commit("main", Files(("a.sls", "main")));
        _repo.Commit("prod", Files(("a.sls", "prod")));

        Assert.Equal("main", Text(await UpdatedAsync(Options(new GitfsRemote(_repo.Url))), "base", "a.sls"));
        var explicitBase = new GitfsRemote(_repo.Url) with { Base = "prod" };
        var gitfs = await UpdatedAsync(Options(explicitBase));
        Assert.Equal("prod", Text(gitfs, "base", "a.sls"));
        Assert.Equal(["base", "main"], gitfs.Envs());
    }

    [Fact]
    public async Task BranchesAndTagsAreSaltenvs_AndMappedSaltenvsFollowTheirRef()
    {
        _repo.Commit("master", Files(("a.sls", "master")));
        _repo.Commit("develop", Files(("a.sls", "develop v1")));
        _repo.Tag("v1", "develop");
        _repo.Commit("develop", Files(("a.sls", "develop v2")));
        var remote = new GitfsRemote(_repo.Url) with { Saltenvs = new Dictionary<string, string> { ["dev"] = "develop" } };

        var gitfs = await UpdatedAsync(Options(remote));

        Assert.Equal("develop v2", Text(gitfs, "develop", "a.sls"));
        Assert.Equal("develop v2", Text(gitfs, "dev", "a.sls"));
        Assert.Equal("develop v1", Text(gitfs, "v1", "a.sls"));
        Assert.Equal(["base", "dev", "develop", "v1"], gitfs.Envs());
    }

    [Fact]
    public async Task RootAndMountpointMoveTheServedTree()
    {
        _repo.Commit("master", Files(("salt/web/init.sls", "web"), ("README", "not served")));
        var remote = new GitfsRemote(_repo.Url) with { Root = "salt", Mountpoint = "apps/site" };

        var gitfs = await UpdatedAsync(Options(remote));

        Assert.Equal("web", Text(gitfs, "base", "apps/site/web/init.sls"));
        Assert.Null(Text(gitfs, "base", "web/init.sls"));
        Assert.Null(Text(gitfs, "base", "apps/site/README"));
        Assert.Equal(["apps/site/web/init.sls"], gitfs.List("base"));
        Assert.Equal(["apps", "apps/site", "apps/site/web"], gitfs.DirList("base"));
    }

    [Fact]
    public async Task UpdateServesANewCommit_AndFollowsAForcePush()
    {
        _repo.Commit("master", Files(("a.sls", "one")));
        var gitfs = await UpdatedAsync(Options(new GitfsRemote(_repo.Url)));
        Assert.Equal("one", Text(gitfs, "base", "a.sls"));

        _repo.Commit("master", Files(("a.sls", "two")));
        Assert.Equal("one", Text(gitfs, "base", "a.sls"));
        var second = await gitfs.UpdateAsync(CancellationToken.None);
        Assert.True(second.Single().Changed);
        Assert.Equal("two", Text(gitfs, "base", "a.sls"));

        _repo.Commit("master", Files(("b.sls", "rewritten")), force: true);
        await gitfs.UpdateAsync(CancellationToken.None);
        Assert.Null(Text(gitfs, "base", "a.sls"));
        Assert.Equal("rewritten", Text(gitfs, "base", "b.sls"));

        var unchanged = await gitfs.UpdateAsync(CancellationToken.None);
        Assert.False(unchanged.Single().Changed);
    }

    [Fact]
    public async Task ADeletedRemoteKeepsServingTheLastFetchedTree_AndTheUpdateSaysItFailed()
    {
        _repo.Commit("master", Files(("a.sls", "kept")));
        var gitfs = await UpdatedAsync(Options(new GitfsRemote(_repo.Url)));
        Directory.Delete(_repo.Path, recursive: true);

        var result = (await gitfs.UpdateAsync(CancellationToken.None)).Single();

        Assert.False(result.Success);
        Assert.NotEmpty(result.Comment);
        Assert.Equal("kept", Text(gitfs, "base", "a.sls"));
    }

    [Fact]
    public async Task ACorruptedRemoteKeepsServingTheLastFetchedTree()
    {
        _repo.Commit("master", Files(("a.sls", "kept")));
        var gitfs = await UpdatedAsync(Options(new GitfsRemote(_repo.Url)));
        _repo.Commit("master", Files(("a.sls", "never seen")));
        foreach (var file in Directory.EnumerateFiles(Path.Combine(_repo.Path, "objects"), "*", SearchOption.AllDirectories))
        {
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            File.WriteAllText(file, "garbage");
        }

        var result = (await gitfs.UpdateAsync(CancellationToken.None)).Single();

        Assert.False(result.Success);
        Assert.Equal("kept", Text(gitfs, "base", "a.sls"));
    }

    [Fact]
    public async Task AHeldUpdateLockIsReported_NotCountedAsSuccess()
    {
        _repo.Commit("master", Files(("a.sls", "x")));
        var options = Options(new GitfsRemote(_repo.Url));
        var gitfs = new GitfsBackend(options);
        Directory.CreateDirectory(gitfs.CacheRoot);
        var lockFile = gitfs.CacheDirOf(options.Gitfs.Remotes[0]) + ".update.lk";
        await File.WriteAllTextAsync(lockFile, Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));

        var result = (await gitfs.UpdateAsync(CancellationToken.None)).Single();

        Assert.False(result.Success);
        Assert.Contains("lock", result.Comment, StringComparison.Ordinal);
        Assert.True(File.Exists(lockFile));
        Assert.Null(gitfs.Read("base", "a.sls"));
    }

    [Fact]
    public async Task ALockLeftByADeadProcessIsRemoved_AndTheUpdateRuns()
    {
        _repo.Commit("master", Files(("a.sls", "x")));
        var options = Options(new GitfsRemote(_repo.Url));
        var gitfs = new GitfsBackend(options);
        Directory.CreateDirectory(gitfs.CacheRoot);
        var lockFile = gitfs.CacheDirOf(options.Gitfs.Remotes[0]) + ".update.lk";
        // A pid above Linux's pid_max (4194304) never names a live process.
        await File.WriteAllTextAsync(lockFile, "2147483000");

        var result = (await gitfs.UpdateAsync(CancellationToken.None)).Single();

        Assert.True(result.Success, result.Comment);
        Assert.NotNull(gitfs.Read("base", "a.sls"));
        Assert.False(File.Exists(lockFile));
    }

    [Fact]
    public async Task FileListMatchesTheRepositoryTree_AndWhitelistHidesOtherEnvs()
    {
        _repo.Commit("master", Files(("top.sls", "t"), ("web/init.sls", "w"), ("web/files/nginx.conf", "c")));
        _repo.Commit("dev", Files(("dev.sls", "d")));
        var options = Options(new GitfsRemote(_repo.Url));
        var gitfs = await UpdatedAsync(options);

        Assert.Equal(["top.sls", "web/files/nginx.conf", "web/init.sls"], gitfs.List("base"));
        options.Gitfs.SaltenvWhitelist = ["base"];
        Assert.Equal(["base"], gitfs.Envs());
        Assert.Null(gitfs.Read("dev", "dev.sls"));
    }

    [Fact]
    public async Task FileServerAsksTheBackendsInOrder()
    {
        using var roots = new TempDir();
        File.WriteAllText(roots.Combine("a.sls"), "roots");
        _repo.Commit("master", Files(("a.sls", "gitfs"), ("b.sls", "gitfs only")));
        var options = Options(new GitfsRemote(_repo.Url));
        options.FileRoots["base"] = [roots.Path];
        var gitfs = await UpdatedAsync(options);

        options.Gitfs.Backends = ["roots", "gitfs"];
        var server = new FileServerType(options, gitfs);
        Assert.Equal("roots", System.Text.Encoding.UTF8.GetString(server.Read("base", "a.sls")!.Value.Contents));
        Assert.Equal("gitfs only", System.Text.Encoding.UTF8.GetString(server.Read("base", "salt://b.sls")!.Value.Contents));
        Assert.Equal(["a.sls", "b.sls"], server.List("base"));

        options.Gitfs.Backends = ["gitfs", "roots"];
        Assert.Equal("gitfs", System.Text.Encoding.UTF8.GetString(server.Read("base", "a.sls")!.Value.Contents));
        options.Gitfs.Backends = ["roots"];
        Assert.Null(server.Read("base", "b.sls"));
    }

    [Fact]
    public void ConfigReadsRemotesWithPerRemoteOptions_AndRefusesUnknownBackends()
    {
        var config = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["fileserver_backend"] = new List<object?> { "roots", "gitfs" },
            ["gitfs_root"] = "/salt/",
            ["gitfs_remotes"] = new List<object?>
            {
                "file:///srv/plain.git",
                new Dictionary<string, object?>
                {
                    ["file:///srv/web.git"] = new List<object?>
                    {
                        new Dictionary<string, object?> { ["mountpoint"] = "salt://web" },
                        new Dictionary<string, object?> { ["base"] = "trunk" },
                        new Dictionary<string, object?>
                        {
                            ["saltenv"] = new List<object?>
                            {
                                new Dictionary<string, object?> { ["dev"] = new List<object?> { new Dictionary<string, object?> { ["ref"] = "develop" } } },
                            },
                        },
                    },
                },
            },
        };

        var options = GitfsOptions.FromConfig(config, "master");

        Assert.Equal(["roots", "gitfs"], options.Backends);
        Assert.Equal("salt", options.Remotes[0].Root);
        Assert.Null(options.Remotes[0].Base);
        Assert.Equal("trunk", options.Remotes[1].Base);
        Assert.Equal("develop", options.Remotes[1].Saltenvs["dev"]);
        Assert.Equal("web", options.Remotes[1].Mountpoint);
        config["fileserver_backend"] = new List<object?> { "svnfs" };
        Assert.Contains("unknown backend 'svnfs'", Assert.Throws<ConfigException>(() => GitfsOptions.FromConfig(config, "master")).Message);
    }

    [Fact]
    public void MasterConfigFileReadsTheGitfsKeys_WithSaltsDefaults()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.Combine("master"), """
            fileserver_backend:
              - gitfs
            gitfs_update_interval: 30
            gitfs_remotes:
              - file:///srv/a.git
              - file:///srv/b.git:
                - root: states
                - saltenv:
                  - dev:
                    - ref: develop
            """);
        var warnings = new List<string>();

        var options = MasterOptions.Load(dir.Path, warnings.Add);

        Assert.Empty(warnings);
        Assert.Equal(["gitfs"], options.Gitfs.Backends);
        Assert.Equal(TimeSpan.FromSeconds(30), options.Gitfs.UpdateInterval);
        Assert.Equal(["file:///srv/a.git", "file:///srv/b.git"], options.Gitfs.Remotes.Select(r => r.Url));
        Assert.Equal("states", options.Gitfs.Remotes[1].Root);
        Assert.Equal("develop", options.Gitfs.Remotes[1].Saltenvs["dev"]);
        Assert.Null(options.Gitfs.Remotes[0].Base);
        using var empty = new TempDir();
        Assert.Equal(["roots"], MasterOptions.Load(empty.Path, warnings.Add).Gitfs.Backends);
    }

    [Fact]
    public async Task APinnedReader_KeepsItsRevisionThroughAnUpdate_WhileANewReaderGetsTheNewTree()
    {
        _repo.Commit("master", Files(("a.sls", "one-a"), ("b.sls", "one-b")));
        var gitfs = await UpdatedAsync(Options(new GitfsRemote(_repo.Url)));
        var (first, pinned) = gitfs.Read("base", "a.sls", 0);
        Assert.Equal("one-a", System.Text.Encoding.UTF8.GetString(first!));

        _repo.Commit("master", Files(("a.sls", "two-a"), ("c.sls", "two-c")));
        Assert.True((await gitfs.UpdateAsync(CancellationToken.None)).Single().Changed);

        var (old, stillPinned) = gitfs.Read("base", "b.sls", pinned);
        Assert.Equal("one-b", System.Text.Encoding.UTF8.GetString(old!));
        Assert.Equal(pinned, stillPinned);
        Assert.Equal(["a.sls", "b.sls"], gitfs.List("base", pinned).Files);
        var (fresh, newest) = gitfs.Read("base", "a.sls", 0);
        Assert.Equal("two-a", System.Text.Encoding.UTF8.GetString(fresh!));
        Assert.NotEqual(pinned, newest);
        Assert.Equal(["a.sls", "c.sls"], gitfs.List("base", newest).Files);
        // A revision that is not kept (or never was) reads the newest view and says so.
        Assert.Equal(newest, gitfs.Read("base", "a.sls", newest + 1000).Revision);
    }

    [Fact]
    public async Task AnUpdateThatChangesNothing_KeepsTheRevision()
    {
        _repo.Commit("master", Files(("a.sls", "a")));
        var gitfs = await UpdatedAsync(Options(new GitfsRemote(_repo.Url)));
        var before = gitfs.Pin(0);

        Assert.False((await gitfs.UpdateAsync(CancellationToken.None)).Single().Changed);

        Assert.Equal(before, gitfs.Pin(0));
    }
}
