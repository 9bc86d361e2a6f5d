using Orchestrator.Master.Jobs;
using Orchestrator.Shared.Protocol.Messages;

namespace Orchestrator.Master.Tests.Jobs;

public sealed class ResendPlannerTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private static ActiveJob Job(string jid, DateTimeOffset started, params string[] expected) =>
        new(new JobPublish { Jid = jid, Function = "test.ping" }, [], expected, started, started + TimeSpan.FromMinutes(5));

    private static Dictionary<string, ActiveJob> Active(params ActiveJob[] jobs) =>
        jobs.ToDictionary(j => j.Job.Jid, StringComparer.Ordinal);

    private static List<string> Plan(Dictionary<string, ActiveJob> active, double atSeconds, string? only = null) =>
        ResendPlanner.Plan(active, T0 + TimeSpan.FromSeconds(atSeconds), Interval, only)
            .Select(s => $"{s.Job.Job.Jid}->{s.Minion}")
            .Order(StringComparer.Ordinal)
            .ToList();

    [Fact]
    public void UnacknowledgedMinion_IsResentAfterOneInterval_AndNotBefore()
    {
        var job = Job("j1", T0, "a", "b");
        job.Acknowledge("b");
        var active = Active(job);

        Assert.Empty(Plan(active, 0.5));
        Assert.Equal(["j1->a"], Plan(active, 1.0));
    }

    [Fact]
    public void Resends_BackOffExponentially_UpToSixteenIntervals()
    {
        var active = Active(Job("j1", T0, "a"));
        var sentAt = new List<int>();
        for (var second = 0; second <= 80; second++)
        {
            if (Plan(active, second).Count > 0)
            {
                sentAt.Add(second);
            }
        }

        Assert.Equal([1, 3, 7, 15, 31, 47, 63, 79], sentAt);
    }

    [Fact]
    public void FirstResend_WaitsOneIntervalPerThousandExpectedMinions()
    {
        var expected = Enumerable.Range(0, 2500).Select(i => $"m{i}").ToArray();
        var job = Job("j1", T0, expected);
        foreach (var id in expected.Skip(1))
        {
            job.Acknowledge(id);
        }

        Assert.Equal(TimeSpan.FromSeconds(3), ResendPlanner.FirstResendDelay(job, Interval));
        Assert.Empty(Plan(Active(job), 2.9));
        Assert.Equal(["j1->m0"], Plan(Active(job), 3.0));
    }

    [Fact]
    public void FirstResend_WaitsAtLeastTheFloor_WhenAcksAreSlow()
    {
        var active = Active(Job("j1", T0, "a"));

        Assert.Empty(ResendPlanner.Plan(active, T0 + TimeSpan.FromSeconds(5), Interval, firstResendFloor: TimeSpan.FromSeconds(6)));
        Assert.Single(ResendPlanner.Plan(active, T0 + TimeSpan.FromSeconds(6), Interval, firstResendFloor: TimeSpan.FromSeconds(6)));
    }

    [Fact]
    public void OnlyTheOldestUnacknowledgedJobOfAMinion_IsResentPerRound()
    {
        var active = Active(Job("j1", T0, "a", "b"), Job("j2", T0 + TimeSpan.FromMilliseconds(10), "a", "b"));
        active["j1"].Acknowledge("b");

        // a is behind on j1, so j2 waits; b acknowledged j1, so its oldest outstanding job is j2.
        Assert.Equal(["j1->a", "j2->b"], Plan(active, 2));

        active["j1"].Acknowledge("a");
        Assert.Equal(["j2->a"], Plan(active, 3));
    }

    [Fact]
    public void CatchUp_ResendsEveryUnacknowledgedJobOfThatMinionAtOnce()
    {
        var active = Active(Job("j1", T0, "a", "b"), Job("j2", T0 + TimeSpan.FromMilliseconds(10), "a", "b"));
        active["j2"].Acknowledge("a");
        active["j1"].Acknowledge("b");

        Assert.Equal(["j1->a"], Plan(active, 0.1, only: "a"));
        Assert.Equal(["j2->b"], Plan(active, 0.1, only: "b"));
    }

    [Fact]
    public void JobPastItsDeadline_IsDroppedAndNotResent()
    {
        var active = Active(Job("j1", T0, "a"));

        Assert.Empty(Plan(active, 301));
        Assert.Empty(active);
    }
}
