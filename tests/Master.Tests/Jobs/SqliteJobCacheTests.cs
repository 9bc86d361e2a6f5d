using Orchestrator.Master.Jobs;
using Orchestrator.Testing;

namespace Orchestrator.Master.Tests.Jobs;

public class SqliteJobCacheTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly TempDir _dir = Some.TempDir();
    private SqliteJobCache _cache;

    public SqliteJobCacheTests()
    {
        _cache = Open();
    }

    private string DbPath => _dir.Combine("cache", "jobs.sqlite");

    private SqliteJobCache Open() => new(DbPath);

    private void Reopen()
    {
        _cache.Dispose();
        _cache = Open();
    }

    public void Dispose()
    {
        _cache.Dispose();
        _dir.Dispose();
    }

    private static JobRecord Job(string jid, string fun = "test.ping", string tgt = "*", DateTimeOffset? started = null) => new(
        jid, fun,
        [1L, "two", new Dictionary<string, object?> { ["z"] = 1L, ["a"] = new List<object?> { true, null } }],
        new Dictionary<string, object?> { ["timeout"] = 5L, ["ratio"] = 1.0 },
        tgt, "glob", "root", started ?? Start, 10, ["web1", "web2"]);

    private static ReturnRecord Return(string jid, string minion, object? value, int retcode = 0) =>
        new(jid, minion, "test.ping", value, retcode, retcode == 0, Start.AddSeconds(1), 12.5, "nested");

    [Fact]
    public void SaveJob_GetJob_RoundTripsEveryField()
    {
        _cache.SaveJob(Job("20260301120000000001"));

        var job = _cache.GetJob("20260301120000000001")!;

        Assert.Equal("test.ping", job.Function);
        Assert.Equal(1L, job.Args[0]);
        Assert.Equal("two", job.Args[1]);
        var nested = Assert.IsType<Dictionary<string, object?>>(job.Args[2]);
        Assert.Equal(["z", "a"], nested.Keys);
        Assert.Equal([true, null], Assert.IsType<List<object?>>(nested["a"]));
        Assert.Equal(5L, job.Kwargs["timeout"]);
        Assert.Equal(1.0, Assert.IsType<double>(job.Kwargs["ratio"]));
        Assert.Equal(("*", "glob", "root", 10), (job.Target, job.TargetType, job.User, job.Timeout));
        Assert.Equal(Start, job.StartedAt);
        Assert.Equal(["web1", "web2"], job.Minions);
    }

    [Fact]
    public void UnexpiredJobs_OnlyJobsInsideTheirTimeout_WithTheirReturnedMinions()
    {
        _cache.SaveJob(Job("20260301115900000001", started: Start.AddSeconds(-60)));
        _cache.SaveJob(Job("20260301120000000002", started: Start.AddSeconds(-5)));
        _cache.SaveReturns([Return("20260301120000000002", "web2", true)]);
        Reopen();

        var unexpired = _cache.UnexpiredJobs(Start);

        var (job, returned) = Assert.Single(unexpired);
        Assert.Equal("20260301120000000002", job.Jid);
        Assert.Equal(["web1", "web2"], job.Minions);
        Assert.Equal(["web2"], returned);
        Assert.Empty(_cache.UnexpiredJobs(Start.AddSeconds(6)));
    }

    [Fact]
    public void GetJob_Unknown_ReturnsNull()
    {
        Assert.Null(_cache.GetJob("nope"));
    }

    [Fact]
    public void SaveReturn_GetReturns_RoundTripsAndSortsByMinion()
    {
        _cache.SaveReturns([Return("j1", "web2", new Dictionary<string, object?> { ["pid"] = 42L })]);
        _cache.SaveReturns([Return("j1", "web1", true, retcode: 1)]);
        _cache.SaveReturns([Return("j2", "web1", "other job")]);

        var returns = _cache.GetReturns("j1");

        Assert.Equal(["web1", "web2"], returns.Select(r => r.MinionId));
        Assert.Equal(true, returns[0].Return);
        Assert.Equal(1, returns[0].Retcode);
        Assert.False(returns[0].Success);
        Assert.Equal(42L, Assert.IsType<Dictionary<string, object?>>(returns[1].Return)["pid"]);
        Assert.True(returns[1].Success);
        Assert.Equal((Start.AddSeconds(1), 12.5, "nested"), (returns[1].StartedAt, returns[1].DurationMs, returns[1].OutputHint));
    }

    [Fact]
    public void SaveReturn_RepeatedForSameMinion_ReplacesEarlier()
    {
        _cache.SaveReturns([Return("j1", "web1", "first")]);
        _cache.SaveReturns([Return("j1", "web1", "second", retcode: 2)]);

        var ret = Assert.Single(_cache.GetReturns("j1"));
        Assert.Equal("second", ret.Return);
        Assert.Equal(2, ret.Retcode);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(7L)]
    [InlineData(2.5)]
    [InlineData("text")]
    public void SaveReturn_ScalarReturn_KeepsTypeAndValue(object? value)
    {
        _cache.SaveReturns([Return("j1", "web1", value)]);

        var back = Assert.Single(_cache.GetReturns("j1")).Return;
        Assert.Equal(value, back);
        Assert.Equal(value?.GetType(), back?.GetType());
    }

    [Fact]
    public void ListJobs_NoFilter_NewestJidFirst()
    {
        _cache.SaveJob(Job("20260301120000000001"));
        _cache.SaveJob(Job("20260301120000000003"));
        _cache.SaveJob(Job("20260301120000000002"));

        Assert.Equal(
            ["20260301120000000003", "20260301120000000002", "20260301120000000001"],
            _cache.ListJobs().Select(j => j.Jid));
    }

    [Fact]
    public void ListJobs_FunctionAndTargetGlobs_Filter()
    {
        _cache.SaveJob(Job("1", fun: "test.ping", tgt: "web*"));
        _cache.SaveJob(Job("2", fun: "test.version", tgt: "db1"));
        _cache.SaveJob(Job("3", fun: "cmd.run", tgt: "web1"));

        Assert.Equal(["2", "1"], _cache.ListJobs(searchFunction: "test.*").Select(j => j.Jid));
        Assert.Equal(["3", "1"], _cache.ListJobs(searchTarget: "web*").Select(j => j.Jid));
        Assert.Equal(["1"], _cache.ListJobs(searchFunction: "test.*", searchTarget: "web*").Select(j => j.Jid));
        Assert.Empty(_cache.ListJobs(searchFunction: "TEST.*"));
    }

    [Fact]
    public void ListJobs_Since_IncludesBoundaryAndExcludesOlder()
    {
        _cache.SaveJob(Job("1", started: Start.AddHours(-2)));
        _cache.SaveJob(Job("2", started: Start.AddHours(-1)));
        _cache.SaveJob(Job("3", started: Start));

        Assert.Equal(["3", "2"], _cache.ListJobs(since: Start.AddHours(-1)).Select(j => j.Jid));
    }

    [Fact]
    public void ListJobs_Limit_CapsNewestFirst()
    {
        for (var i = 1; i <= 5; i++)
        {
            _cache.SaveJob(Job($"{i}"));
        }

        Assert.Equal(["5", "4"], _cache.ListJobs(limit: 2).Select(j => j.Jid));
    }

    [Fact]
    public void Prune_RemovesOldJobsAndTheirReturnsOnly()
    {
        _cache.SaveJob(Job("old", started: Start.AddDays(-2)));
        _cache.SaveJob(Job("new", started: Start));
        _cache.SaveReturns([Return("old", "web1", true)]);
        _cache.SaveReturns([Return("new", "web1", true)]);

        Assert.Equal(1, _cache.Prune(Start.AddDays(-1)));

        Assert.Null(_cache.GetJob("old"));
        Assert.Empty(_cache.GetReturns("old"));
        Assert.NotNull(_cache.GetJob("new"));
        Assert.Single(_cache.GetReturns("new"));
    }

    [Fact]
    public void Minions_TouchAndGrains_MergeIntoOneRecord()
    {
        _cache.TouchMinions([("web1", Start)]);
        _cache.SaveGrains("web1", new Dictionary<string, object?> { ["os"] = "Debian", ["num_cpus"] = 4L });
        _cache.SaveGrains("db1", new Dictionary<string, object?> { ["os"] = "Alpine" });
        _cache.TouchMinions([("web1", Start.AddMinutes(5))]);

        var minions = _cache.ListMinions();

        Assert.Equal(["db1", "web1"], minions.Select(m => m.Id));
        Assert.Null(minions[0].LastSeen);
        Assert.Equal(Start.AddMinutes(5), minions[1].LastSeen);
        Assert.Equal("Debian", minions[1].Grains["os"]);
        Assert.Equal(4L, minions[1].Grains["num_cpus"]);
    }

    [Fact]
    public void SaveReturns_Batch_StoresEachReturnWithItsOwnValues()
    {
        _cache.SaveJob(Job("20260301120000000002"));

        _cache.SaveReturns([
            Return("20260301120000000002", "web1", true),
            Return("20260301120000000002", "web2", "not available", retcode: 254),
            Return("20260301120000000002", "web1", new Dictionary<string, object?> { ["again"] = 1L }),
        ]);

        var returns = _cache.GetReturns("20260301120000000002").OrderBy(r => r.MinionId, StringComparer.Ordinal).ToList();
        Assert.Equal(["web1", "web2"], returns.Select(r => r.MinionId));
        // The repeated (jid, minion) replaced the first one within the same batch.
        Assert.Equal(1L, Assert.IsType<Dictionary<string, object?>>(returns[0].Return)["again"]);
        Assert.Equal(("not available", 254, false), ((string)returns[1].Return!, returns[1].Retcode, returns[1].Success));
    }

    [Fact]
    public void TouchMinions_Batch_RecordsEachMinionsOwnTime()
    {
        _cache.SaveGrains("web1", new Dictionary<string, object?> { ["os"] = "Debian" });

        _cache.TouchMinions([("web1", Start.AddSeconds(1)), ("web2", Start.AddSeconds(2)), ("web3", Start.AddSeconds(3))]);

        var minions = _cache.ListMinions();
        Assert.Equal(["web1", "web2", "web3"], minions.Select(m => m.Id));
        Assert.Equal([1, 2, 3], minions.Select(m => (int)(m.LastSeen!.Value - Start).TotalSeconds));
        Assert.Equal("Debian", minions[0].Grains["os"]);
    }

    [Fact]
    public void TouchMinion_New_HasEmptyGrains()
    {
        _cache.TouchMinions([("web1", Start)]);

        Assert.Empty(Assert.Single(_cache.ListMinions()).Grains);
    }

    [Fact]
    public void ForgetMinion_RemovesRecord()
    {
        _cache.TouchMinions([("web1", Start)]);
        _cache.TouchMinions([("web2", Start)]);

        _cache.ForgetMinion("web1");

        Assert.Equal(["web2"], _cache.ListMinions().Select(m => m.Id));
    }

    [Fact]
    public void Reopen_File_KeepsJobsReturnsAndMinions()
    {
        _cache.SaveJob(Job("j1"));
        _cache.SaveReturns([Return("j1", "web1", "pong")]);
        _cache.SaveGrains("web1", new Dictionary<string, object?> { ["os"] = "Debian" });

        Reopen();

        Assert.Equal("test.ping", _cache.GetJob("j1")!.Function);
        Assert.Equal("pong", Assert.Single(_cache.GetReturns("j1")).Return);
        Assert.Equal("Debian", Assert.Single(_cache.ListMinions()).Grains["os"]);
    }

    [Fact]
    public void SaveJob_SqlInValues_IsStoredLiterally()
    {
        _cache.SaveJob(Job("j1", fun: "x'); DROP TABLE jobs; --", tgt: "web*"));

        Assert.Equal("x'); DROP TABLE jobs; --", _cache.GetJob("j1")!.Function);
        Assert.Single(_cache.ListJobs());
    }
}
