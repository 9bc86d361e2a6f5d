using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Master.Jobs;
using Orchestrator.Testing;

namespace Orchestrator.Master.Tests.Jobs;

public sealed class ReturnWriterTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly FailingCache _cache;

    public ReturnWriterTests() => _cache = new FailingCache(new SqliteJobCache(_dir.Combine("jobs.sqlite")));

    public void Dispose()
    {
        _cache.Dispose();
        _dir.Dispose();
    }

    private static ReturnRecord Return(string jid, string minion) =>
        new(jid, minion, "test.ping", true, 0, true, DateTimeOffset.UnixEpoch, 1);

    [Fact]
    public async Task StoredCallback_RunsOnlyAfterTheBatchIsCommitted()
    {
        var writer = new ReturnWriter(_cache, NullLogger<ReturnWriter>.Instance);
        using var cts = new CancellationTokenSource();
        var loop = writer.RunAsync(cts.Token);
        var stored = new TaskCompletionSource();

        writer.Enqueue(Return("1", "web1"), () => stored.TrySetResult());
        await stored.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Single(_cache.GetReturns("1"));
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => loop);
    }

    [Fact]
    public async Task FailedBatch_IsNotAcknowledgedAndTheWriterKeepsServing()
    {
        var writer = new ReturnWriter(_cache, NullLogger<ReturnWriter>.Instance);
        using var cts = new CancellationTokenSource();
        var loop = writer.RunAsync(cts.Token);
        var acknowledged = new List<string>();
        var second = new TaskCompletionSource();
        _cache.FailNext = true;

        writer.Enqueue(Return("1", "web1"), () => acknowledged.Add("1"));
        await Poll.UntilAsync(() => !_cache.FailNext, "failed batch");
        writer.Enqueue(Return("2", "web1"), () => second.TrySetResult());
        await second.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Empty(acknowledged);
        Assert.Empty(_cache.GetReturns("1"));
        Assert.Single(_cache.GetReturns("2"));
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => loop);
    }

    private sealed class FailingCache(SqliteJobCache inner) : IJobCache
    {
        public volatile bool FailNext;

        public void SaveReturns(IReadOnlyList<ReturnRecord> returns)
        {
            if (FailNext)
            {
                FailNext = false;
                throw new IOException("No space left on device");
            }
            inner.SaveReturns(returns);
        }

        public void SaveJob(JobRecord job) => inner.SaveJob(job);
        public JobRecord? GetJob(string jid) => inner.GetJob(jid);
        public IReadOnlyList<ReturnRecord> GetReturns(string jid) => inner.GetReturns(jid);
        public IReadOnlyList<(JobRecord Job, IReadOnlyList<string> Returned)> UnexpiredJobs(DateTimeOffset now) => inner.UnexpiredJobs(now);
        public IReadOnlyList<JobRecord> ListJobs(string? searchFunction = null, string? searchTarget = null, DateTimeOffset? since = null, int limit = 1000) =>
            inner.ListJobs(searchFunction, searchTarget, since, limit);
        public void TouchMinions(IReadOnlyCollection<(string Id, DateTimeOffset Seen)> seen) => inner.TouchMinions(seen);
        public void SaveGrains(string id, Dictionary<string, object?> grains) => inner.SaveGrains(id, grains);
        public IReadOnlyList<MinionRecord> ListMinions() => inner.ListMinions();
        public void ForgetMinion(string id) => inner.ForgetMinion(id);
        public int Prune(DateTimeOffset cutoff) => inner.Prune(cutoff);
        public void Dispose() => inner.Dispose();
    }
}
