using Orchestrator.Master.FileServer.Gitfs;
using Orchestrator.Master.Hosting;
using Orchestrator.Master.Pillar;
using Orchestrator.Master.Pillar.GitPillar;
using Orchestrator.Testing;

namespace Orchestrator.Integration.Tests.Gitfs;

/// <summary>
/// Scenario: gitfs and git_pillar remotes behind authentication, configured as a Salt user writes them in the master
/// config: git's smart http behind basic auth (a real <c>git http-backend</c>), and ssh with a key (Debian's sshd on a
/// loopback port, with and without a passphrase). Right credentials serve the tree; wrong ones fail the update, say so,
/// and leave the tree the cache had.
/// </summary>
[Trait("Category", "Integration")]
public sealed class GitCredentialsTests : IDisposable
{
    private readonly TempDir _config = new();
    private readonly TempDir _keys = new();
    private readonly BareGitRepo _repo = new();

    public void Dispose()
    {
        _config.Dispose();
        _keys.Dispose();
        _repo.Dispose();
    }

    private MasterOptions Options(string yaml)
    {
        File.WriteAllText(_config.Combine("master"), $"cachedir: {_config.Combine("cache")}\nfileserver_backend: [gitfs]\n{yaml}");
        return MasterOptions.Load(_config.Path, _ => { });
    }

    private static string? Text(GitfsBackend gitfs, string path) =>
        gitfs.Read("base", path) is { } bytes ? System.Text.Encoding.UTF8.GetString(bytes) : null;

    private static Dictionary<string, string> Tree(string text) => new(StringComparer.Ordinal) { ["top.sls"] = text };

    [Fact]
    public async Task HttpRemote_WithUserAndPassword_IsServed_AndAWrongPasswordFailsKeepingTheTree()
    {
        _repo.Commit("master", Tree("first"));
        using var server = new GitHttpServer(_repo.Path, "deploy", "s3cret-pw");
        var remote = $"gitfs_remotes:\n  - {server.Url}:\n    - user: deploy\n    - insecure_auth: True\n";
        var gitfs = new GitfsBackend(Options(remote + "    - password: s3cret-pw\n"));

        var first = (await gitfs.UpdateAsync(CancellationToken.None)).Single();

        Assert.True(first.Success, first.Comment);
        Assert.Equal("first", Text(gitfs, "top.sls"));

        _repo.Commit("master", Tree("second"));
        var wrong = new GitfsBackend(Options(remote + "    - password: not-it\n"));
        var refused = (await wrong.UpdateAsync(CancellationToken.None)).Single();

        Assert.False(refused.Success);
        Assert.DoesNotContain("not-it", refused.Comment, StringComparison.Ordinal);
        Assert.True(server.Refused > 0);
        Assert.Equal("first", Text(wrong, "top.sls"));
    }

    [Fact]
    public void HttpRemote_WithAPasswordButNoInsecureAuth_IsAConfigurationError()
    {
        var error = Assert.Throws<Orchestrator.Shared.Config.ConfigException>(() =>
            Options("gitfs_user: deploy\ngitfs_password: pw-123\ngitfs_remotes:\n  - http://127.0.0.1:9/repo.git\n"));

        Assert.Contains("insecure_auth", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("pw-123", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GitPillarOverHttp_UsesItsOwnCredentialKeys()
    {
        _repo.Commit("master", new Dictionary<string, string>
        {
            ["top.sls"] = "base:\n  '*':\n    - app\n",
            ["app.sls"] = "secret_source: behind-basic-auth\n",
        });
        using var server = new GitHttpServer(_repo.Path, "pillar", "pillar-pw");
        var options = Options($"git_pillar_user: pillar\ngit_pillar_password: pillar-pw\ngit_pillar_insecure_auth: true\n"
            + $"ext_pillar:\n  - git:\n    - master {server.Url}\n");
        var git = new GitPillarBackend(options);

        var result = (await git.UpdateAsync(CancellationToken.None)).Single();

        Assert.True(result.Success, result.Comment);
        var pillar = await new PillarCompiler(options, null, git).CompileAsync(
            "web1", new Dictionary<string, object?> { ["id"] = "web1" }, "base", [], CancellationToken.None);
        Assert.Equal("behind-basic-auth", pillar.Pillar["secret_source"]);
    }

    [SshdFact]
    public async Task SshRemote_WithAKey_IsServed_AndTheHostKeyIsKeptInTheCache()
    {
        _repo.Commit("master", Tree("over ssh"));
        var (privateKey, publicKey) = SshServer.MakeKey(_keys.Path, "gitfs");
        using var sshd = await SshServer.StartAsync(publicKey);
        var options = Options($"gitfs_remotes:\n  - {sshd.UrlOf(_repo.Path)}:\n    - privkey: {privateKey}\n    - pubkey: {privateKey}.pub\n");
        var gitfs = new GitfsBackend(options);

        var result = (await gitfs.UpdateAsync(CancellationToken.None)).Single();

        Assert.True(result.Success, result.Comment + "\n" + sshd.Log);
        Assert.Equal("over ssh", Text(gitfs, "top.sls"));
        var knownHosts = Path.Combine(gitfs.CacheRoot, "known_hosts");
        // Debian's ssh hashes host names in known_hosts: the key type is what is readable.
        Assert.Contains("ssh-ed25519", await File.ReadAllTextAsync(knownHosts), StringComparison.Ordinal);
        _repo.Commit("master", Tree("second over ssh"));
        var again = (await gitfs.UpdateAsync(CancellationToken.None)).Single();
        Assert.True(again.Success && again.Changed, again.Comment);
        Assert.Equal("second over ssh", Text(gitfs, "top.sls"));
        var script = gitfs.CacheDirOf(options.Gitfs.Remotes[0]) + ".ssh";
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(script));
    }

    [SshdFact]
    public async Task SshRemote_WithAPassphraseKey_IsServed_AndThePassphraseIsNotInTheScript()
    {
        _repo.Commit("master", Tree("passphrase key"));
        var (privateKey, publicKey) = SshServer.MakeKey(_keys.Path, "locked", "open sesame");
        using var sshd = await SshServer.StartAsync(publicKey);
        var options = Options($"gitfs_privkey: {privateKey}\ngitfs_passphrase: open sesame\ngitfs_remotes:\n  - {sshd.UrlOf(_repo.Path)}\n");
        var gitfs = new GitfsBackend(options);

        var result = (await gitfs.UpdateAsync(CancellationToken.None)).Single();

        Assert.True(result.Success, result.Comment + "\n" + sshd.Log);
        Assert.Equal("passphrase key", Text(gitfs, "top.sls"));
        var cacheDir = gitfs.CacheDirOf(options.Gitfs.Remotes[0]);
        Assert.DoesNotContain("open sesame", await File.ReadAllTextAsync(cacheDir + ".ssh"), StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(cacheDir + ".passphrase"));
    }

    [SshdFact]
    public async Task SshRemote_WithAKeyTheServerDoesNotKnow_FailsTheUpdate_AndServesNothing()
    {
        _repo.Commit("master", Tree("never served"));
        var (_, authorized) = SshServer.MakeKey(_keys.Path, "authorized");
        var (stranger, _) = SshServer.MakeKey(_keys.Path, "stranger");
        using var sshd = await SshServer.StartAsync(authorized);
        var gitfs = new GitfsBackend(Options($"gitfs_remotes:\n  - {sshd.UrlOf(_repo.Path)}:\n    - privkey: {stranger}\n"));

        var result = (await gitfs.UpdateAsync(CancellationToken.None)).Single();

        Assert.False(result.Success);
        Assert.NotEmpty(result.Comment);
        Assert.Null(Text(gitfs, "top.sls"));
    }
}
