using Orchestrator.Minion.Modules;
using Orchestrator.Minion.Modules.Execution;
using Orchestrator.Testing;

namespace Orchestrator.Minion.Tests.Modules.Execution;

public sealed class SysRunnersTests : IDisposable
{
    private static readonly Dictionary<string, string> MasterDocs = new(StringComparer.Ordinal)
    {
        ["manage.up"] = "Print a list of all the minions that are up.",
        ["jobs.lookup_jid"] = "Return the returns of a job by jid.",
        ["jobs.list_jobs"] = "List the jobs.",
        ["manage.status"] = "Print the status of all known minions.",
        ["event.send"] = "Fire an event.",
        ["jobsx.odd"] = "A module whose name starts with another's.",
    };

    private readonly ModuleHarness _master = ModuleHarness.Builtin(files: new CatalogClient(MasterDocs));
    private readonly ModuleHarness _local = ModuleHarness.Builtin();

    public void Dispose()
    {
        _master.Dispose();
        _local.Dispose();
    }

    [Fact]
    public void ListRunners_NoPattern_IsEveryModuleSortedOnce() =>
        Assert.Equal(["event", "jobs", "jobsx", "manage"], SysModule.ListRunners(MasterDocs.Keys, []));

    [Fact]
    public void ListRunners_NameSelectsTheModuleOnly_AndAGlobMatchesFunctionsOrModules()
    {
        Assert.Equal(["jobs"], SysModule.ListRunners(MasterDocs.Keys, ["jobs"]));
        Assert.Equal(["jobs", "jobsx"], SysModule.ListRunners(MasterDocs.Keys, ["job*"]));
        Assert.Equal(["manage"], SysModule.ListRunners(MasterDocs.Keys, ["*.status"]));
        Assert.Equal(["event", "manage"], SysModule.ListRunners(MasterDocs.Keys, ["m*", "event"]));
        Assert.Empty(SysModule.ListRunners(MasterDocs.Keys, ["nosuch"]));
    }

    [Fact]
    public void RunnerDoc_SelectsModulesFunctionsAndGlobs()
    {
        Assert.Equal(MasterDocs.Count, SysModule.RunnerDoc(MasterDocs, []).Count);
        Assert.Equal(["jobs.list_jobs", "jobs.lookup_jid"], SysModule.RunnerDoc(MasterDocs, ["jobs"]).Keys);
        Assert.Equal(["jobs.list_jobs", "jobs.lookup_jid"], SysModule.RunnerDoc(MasterDocs, ["jobs."]).Keys);
        Assert.Equal(["jobs.lookup_jid", "manage.status", "manage.up"], SysModule.RunnerDoc(MasterDocs, ["jobs.lookup_jid", "manage.*"]).Keys);
        Assert.Equal("Return the returns of a job by jid.", SysModule.RunnerDoc(MasterDocs, ["jobs.lookup_jid"])["jobs.lookup_jid"]);
        Assert.Empty(SysModule.RunnerDoc(MasterDocs, ["jobs.nosuch"]));
    }

    [Fact]
    public async Task Functions_AskTheMastersCatalog()
    {
        Assert.Equal(new List<object?> { "jobs", "jobsx" }, await _master.ReturnAsync("sys.list_runners", "j*"));
        var docs = Assert.IsType<Dictionary<string, object?>>(await _master.ReturnAsync("sys.runner_doc", "manage.up"));
        Assert.Equal("Print a list of all the minions that are up.", Assert.Single(docs).Value);
    }

    [Fact]
    public void RunnerDoc_PrintsDocsWithTheDocOutputter_AndAFailureAsData()
    {
        var function = _master.Registry.Find("sys.runner_doc")!;
        Assert.Equal("doc", function.OutputterFor(new Dictionary<string, object?> { ["jobs.lookup_jid"] = "doc" }));
        Assert.Equal("", function.OutputterFor("sys.runner_doc: runners live on the master"));
    }

    [Theory]
    [InlineData("sys.list_runners")]
    [InlineData("sys.runner_doc")]
    public async Task WithoutAMaster_FailsSayingRunnersLiveOnTheMaster(string function)
    {
        var result = await _local.InvokeAsync(function);

        Assert.False(result.Success);
        Assert.NotEqual(0, result.Retcode);
        var message = Assert.IsType<string>(result.Return);
        Assert.Contains("runners live on the master", message, StringComparison.Ordinal);
        Assert.Contains("orch run", message, StringComparison.Ordinal);
    }

    /// <summary>A file client that has the master's runner docs, as the master's client has.</summary>
    private sealed class CatalogClient(Dictionary<string, string> docs) : IFileClient, IRunnerCatalog
    {
        public Task<string?> CacheFileAsync(string url, string saltenv, CancellationToken cancellationToken) => Task.FromResult<string?>(null);

        public Task<IReadOnlyList<string>> ListFilesAsync(string saltenv, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<string>>([]);

        public Task<IReadOnlyDictionary<string, string>> RunnerDocsAsync(CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyDictionary<string, string>>(docs);
    }
}
