using Orchestrator.Master.Events;
using Orchestrator.Master.FileServer.Gitfs;
using Orchestrator.Shared.Data;
using Orchestrator.Testing;

namespace Orchestrator.Integration.Tests;

/// <summary>
/// Scenario: a master with <c>fileserver_backend: [gitfs]</c> serving a bare git repository (file:// URL) and one broken
/// remote. <c>orch run fileserver.update</c> reports the broken one and fails; a minion's <c>state.apply ... saltenv=dev</c>
/// renders the SLS of the dev branch and fetches its salt:// source from the same branch.
/// </summary>
[Trait("Category", "Integration")]
[Collection("cluster")]
public sealed class GitfsTests : IAsyncLifetime
{
    private readonly BareGitRepo _repo = new();
    private readonly TempDir _missing = new();
    private TestCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        _cluster = await TestCluster.StartAsync(o => o.Gitfs = new GitfsOptions
        {
            Backends = ["gitfs"],
            Remotes = [new GitfsRemote(_repo.Url), new GitfsRemote(new Uri(_missing.Combine("gone.git")).AbsoluteUri)],
        });
        await _cluster.AddMinionAsync("web1");
    }

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        _repo.Dispose();
        _missing.Dispose();
    }

    [Fact]
    public async Task StateApplyWithSaltenvDev_AppliesTheDevBranch_AndUpdateReportsTheBrokenRemote()
    {
        var target = _cluster.Root.Combine("managed", "motd");
        _repo.Commit("master", new Dictionary<string, string> { ["motd.sls"] = "not-this: test.fail_without_changes" });
        _repo.Commit("dev", new Dictionary<string, string>
        {
            ["motd.sls"] = $"motd:\n  file.managed:\n    - name: {target}\n    - source: salt://files/motd\n    - makedirs: true\n",
            ["files/motd"] = "from the dev branch\n",
        });
        using var fired = _cluster.MasterService<EventBus>().Subscribe(tag => tag == GitfsUpdateService.UpdateTag);

        var update = await _cluster.CliVerbAsync("run", "--out", "json", "fileserver.update");

        Assert.NotEqual(0, update.ExitCode);
        var remotes = (Dictionary<string, object?>)((Dictionary<string, object?>)DataTree.FromJson(update.Stdout)!)["gitfs"]!;
        Assert.Equal(true, ((Dictionary<string, object?>)remotes[_repo.Url]!)["result"]);
        Assert.Contains(remotes, r => r.Key != _repo.Url && ((Dictionary<string, object?>)r.Value!)["result"] is false);
        await TestCluster.WaitForEventAsync(fired, "salt/fileserver/gitfs/update");
        var envs = await _cluster.CliVerbAsync("run", "--out", "json", "fileserver.envs");
        Assert.Equal(["base", "dev"], ((List<object?>)DataTree.FromJson(envs.Stdout)!).Cast<string>());

        var applied = await _cluster.CliAsync("--out", "json", "--static", "-t", "60", "web1", "state.apply", "motd", "saltenv=dev");

        Assert.True(applied.ExitCode == 0, applied.ToString());
        Assert.Equal("from the dev branch\n", await File.ReadAllTextAsync(target));
        var files = await _cluster.CliVerbAsync("run", "--out", "json", "fileserver.file_list", "saltenv=dev");
        Assert.Equal(["files/motd", "motd.sls"], ((List<object?>)DataTree.FromJson(files.Stdout)!).Cast<string>());
        var dirs = await _cluster.CliVerbAsync("run", "--out", "json", "fileserver.dir_list", "saltenv=dev");
        Assert.Equal(["files"], ((List<object?>)DataTree.FromJson(dirs.Stdout)!).Cast<string>());
        var cleared = await _cluster.CliVerbAsync("run", "--out", "json", "fileserver.clear_cache");
        Assert.Contains(_repo.Url, cleared.Stdout, StringComparison.Ordinal);
        var after = await _cluster.CliVerbAsync("run", "--out", "json", "fileserver.envs");
        Assert.Empty((List<object?>)DataTree.FromJson(after.Stdout)!);
    }
}
