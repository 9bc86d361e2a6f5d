using Microsoft.Extensions.Time.Testing;
using Orchestrator.Shared.Rendering;
using Orchestrator.Shared.Scheduling;

namespace Orchestrator.Shared.Tests.Scheduling;

public sealed class ScheduleEngineTests
{
    // Wednesday 2025-01-15 10:00:00 UTC.
    private static readonly DateTimeOffset Start = new(2025, 1, 15, 10, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _clock = new(Start);

    private ScheduleEngine Engine(string yaml, Func<int, int, int>? random = null)
    {
        var engine = new ScheduleEngine(_clock, TimeSpan.FromSeconds(1), random);
        var problems = engine.Load((Dictionary<string, object?>)YamlLoader.Load(yaml)!);
        Assert.Empty(problems);
        return engine;
    }

    private List<string> Step(ScheduleEngine engine, int seconds, Func<string, int>? running = null)
    {
        _clock.Advance(TimeSpan.FromSeconds(seconds));
        return [.. engine.Evaluate(running).Runs.Select(r => r.Name)];
    }

    private List<string> Run(ScheduleEngine engine, int totalSeconds)
    {
        var fired = new List<string>();
        for (var i = 0; i < totalSeconds; i++)
        {
            fired.AddRange(Step(engine, 1).Select(n => $"{n}@{(int)(_clock.GetUtcNow() - Start).TotalSeconds}"));
        }
        return fired;
    }

    [Fact]
    public void Interval_SecondsMinutesHoursDaysAreSummed()
    {
        var engine = Engine("schedule:\n  job1:\n    function: test.ping\n    seconds: 30\n    minutes: 1\n".Replace("schedule:\n  ", "").Replace("\n  ", "\n"));
        Assert.Empty(engine.Evaluate().Runs);
        Assert.Equal(Start.AddSeconds(90), engine.NextFireTime("job1"));
        Assert.Equal(["job1@90", "job1@180"], Run(engine, 200));
    }

    [Fact]
    public void Interval_FirstEvaluationDoesNotRun_RunOnStartDoes()
    {
        var engine = Engine("a: {function: test.ping, seconds: 10}\nb: {function: test.ping, seconds: 10, run_on_start: true}\n");
        Assert.Equal(["b"], engine.Evaluate().Runs.Select(r => r.Name));
        Assert.Equal(["a@10", "b@10"], Run(engine, 10));
    }

    [Fact]
    public void RunOnStart_DisabledJobDoesNotRun()
    {
        var engine = Engine("b: {function: test.ping, seconds: 10, run_on_start: true, enabled: false}\n");
        Assert.Empty(engine.Evaluate().Runs);
        Assert.Empty(Run(engine, 30));
        Assert.Equal("disabled", engine.SkipReason("b"));
    }

    [Fact]
    public void Enabled_GlobalDisableStopsEveryJobAndTheirTimesStillAdvance()
    {
        var engine = Engine("enabled: false\na: {function: test.ping, seconds: 5}\n");
        engine.Evaluate();
        Assert.Empty(Run(engine, 12));
        Assert.Equal(Start.AddSeconds(15), engine.NextFireTime("a"));
        Assert.Empty(engine.Load((Dictionary<string, object?>)YamlLoader.Load("enabled: true\na: {function: test.ping, seconds: 5}\n")!));
        Assert.Equal(["a@15"], Run(engine, 3));
    }

    [Fact]
    public void Reload_UnchangedJobKeepsItsTiming_ChangedJobStartsAgain()
    {
        var engine = Engine("a: {function: test.ping, seconds: 10}\nb: {function: test.ping, seconds: 10}\n");
        engine.Evaluate();
        Step(engine, 6);
        engine.Load((Dictionary<string, object?>)YamlLoader.Load("a: {function: test.ping, seconds: 10}\nb: {function: test.ping, seconds: 11}\n")!);
        Assert.Equal(["a@10", "b@18"], Run(engine, 12));
    }

    [Fact]
    public void Cron_FiresAtEachOccurrenceInTheLocalZone()
    {
        var engine = Engine("c: {function: test.ping, cron: '*/15 * * * *'}\n");
        Assert.Equal(Start.AddMinutes(15), engine.NextFireTime("c"));
        engine.Evaluate();
        Assert.Equal(Start.AddMinutes(15), engine.NextFireTime("c"));
        Assert.Equal(["c@900", "c@1800"], Run(engine, 1800));
    }

    [Fact]
    public void Cron_SixFieldsTakeSecondsLastAsCroniter()
    {
        var engine = Engine("c: {function: test.ping, cron: '* * * * * */20'}\n");
        engine.Evaluate();
        Assert.Equal(["c@20", "c@40", "c@60"], Run(engine, 60));
    }

    [Fact]
    public void When_TimeOfDayFiresOnceThenTomorrow()
    {
        var engine = Engine("w: {function: test.ping, when: '10:00:05'}\n");
        engine.Evaluate();
        Assert.Equal(Start.AddSeconds(5), engine.NextFireTime("w"));
        Assert.Equal(["w@5"], Run(engine, 30));
        Assert.Null(engine.NextFireTime("w"));
        _clock.SetUtcNow(Start.AddDays(1));
        Assert.Empty(engine.Evaluate().Runs);
        Assert.Equal(Start.AddDays(1).AddSeconds(5), engine.NextFireTime("w"));
        Assert.Equal(["w"], Step(engine, 5));
    }

    [Fact]
    public void When_ListOfTimesFiresEach()
    {
        var engine = Engine("w: {function: test.ping, when: ['10:00:10', '10:00:03am']}\n".Replace("10:00:03am", "10:00:03"));
        engine.Evaluate();
        Assert.Equal(["w@3", "w@10"], Run(engine, 20));
    }

    [Fact]
    public void When_TimeMissedWhileNotEvaluatingIsNotMadeUp()
    {
        var engine = Engine("w: {function: test.ping, when: '10:00:05'}\n");
        engine.Evaluate();
        Assert.Empty(Step(engine, 60));
    }

    [Fact]
    public void When_WeekdayFiresOnThatDay()
    {
        _clock.SetUtcNow(new DateTimeOffset(2025, 1, 16, 16, 59, 58, TimeSpan.Zero));
        var engine = Engine("w: {function: test.ping, when: 'Thursday 5:00pm'}\n");
        engine.Evaluate();
        Assert.Equal(new DateTimeOffset(2025, 1, 16, 17, 0, 0, TimeSpan.Zero), engine.NextFireTime("w"));
        Assert.Equal(["w"], Step(engine, 2));
    }

    [Fact]
    public void Splay_IsDrawnWithinItsBoundsAndAddedToTheFireTime()
    {
        var drawn = new List<(int, int)>();
        var engine = Engine("s: {function: test.ping, seconds: 10, splay: {start: 3, end: 7}}\n", (low, high) =>
        {
            drawn.Add((low, high));
            return high;
        });
        engine.Evaluate();
        Assert.Equal(Start.AddSeconds(17), engine.NextFireTime("s"));
        Assert.Equal(["s@17"], Run(engine, 17));
        Assert.All(drawn, d => Assert.Equal((3, 7), d));
    }

    [Fact]
    public void Splay_IntegerMeansOneToThatMany()
    {
        var drawn = new List<(int, int)>();
        var engine = Engine("s: {function: test.ping, seconds: 10, splay: 5}\n", (low, high) =>
        {
            drawn.Add((low, high));
            return low;
        });
        engine.Evaluate();
        Assert.Equal(["s@11"], Run(engine, 11));
        Assert.Equal((1, 5), drawn[0]);
    }

    [Fact]
    public void Range_RunsOnlyInside_InvertRunsOnlyOutside()
    {
        var engine = Engine(
            "in: {function: test.ping, seconds: 10, range: {start: '10:00:15', end: '10:00:35'}}\n" +
            "out: {function: test.ping, seconds: 10, range: {start: '10:00:15', end: '10:00:35', invert: true}}\n");
        engine.Evaluate();
        Assert.Equal(["out@10", "in@20", "in@30", "out@40"], Run(engine, 40));
        Assert.Equal("not_in_range", engine.SkipReason("in"));
    }

    [Fact]
    public void SkipDuringRange_SkipsInside()
    {
        var engine = Engine("a: {function: test.ping, seconds: 10, skip_during_range: {start: '10:00:15', end: '10:00:25'}}\n");
        engine.Evaluate();
        Assert.Equal(["a@10", "a@30"], Run(engine, 30));
    }

    [Fact]
    public void UntilAndAfter_BoundTheRuns()
    {
        var engine = Engine(
            "u: {function: test.ping, seconds: 10, until: '2025-01-15 10:00:25'}\n" +
            "f: {function: test.ping, seconds: 10, after: '2025-01-15T10:00:15'}\n");
        engine.Evaluate();
        Assert.Equal(["u@10", "f@20", "u@20", "f@30", "f@40"], Run(engine, 40));
        Assert.Equal("until_passed", engine.SkipReason("u"));
    }

    [Fact]
    public void MaxRunning_SkipsWhileThatManyRunsAreUnderWay()
    {
        var engine = Engine("m: {function: test.ping, seconds: 5, maxrunning: 2}\nn: {function: test.ping, seconds: 5, jid_include: false}\n");
        engine.Evaluate();
        Assert.Equal(["m", "n"], Step(engine, 5, _ => 1));
        Assert.Equal(["n"], Step(engine, 5, _ => 2));
        Assert.Equal("maxrunning", engine.SkipReason("m"));
    }

    [Fact]
    public void Once_RunsOnceAtItsTime()
    {
        var engine = Engine("o: {function: test.ping, once: '2025-01-15T10:00:07'}\np: {function: test.ping, once: '15/01/25 10:00', once_fmt: '%d/%m/%y %H:%M'}\n");
        engine.Evaluate();
        Assert.Equal(["o@7"], Run(engine, 100));
        Assert.Null(engine.NextFireTime("o"));
        Assert.Null(engine.NextFireTime("p"));
    }

    [Fact]
    public void Load_BrokenJobsAreReportedAndTheOthersRun()
    {
        var engine = new ScheduleEngine(_clock);
        var problems = engine.Load((Dictionary<string, object?>)YamlLoader.Load(
            "good: {function: test.ping, seconds: 1}\n" +
            "nofun: {seconds: 1}\n" +
            "both: {function: test.ping, seconds: 1, cron: '* * * * *'}\n" +
            "whencron: {function: test.ping, when: '5:00pm', cron: '* * * * *'}\n" +
            "badcron: {function: test.ping, cron: 'every day'}\n" +
            "badwhen: {function: test.ping, when: 'someday soon'}\n" +
            "badrange: {function: test.ping, seconds: 1, range: {start: '5:00pm', end: '8:00am'}}\n" +
            "badsplay: {function: test.ping, seconds: 1, splay: {start: 9, end: 2}}\n" +
            "notamap: test.ping\n" +
            "notrigger: {function: test.ping}\n" +
            "zero: {function: test.ping, seconds: 0}\n")!);
        Assert.Equal(["badcron", "badrange", "badsplay", "badwhen", "both", "nofun", "notamap", "notrigger", "whencron", "zero"],
            problems.Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Contains(problems, p => p.Name == "both" && p.Error.Contains("\"seconds\" with \"cron\"", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Name == "badcron" && p.Error.Contains("every day", StringComparison.Ordinal));
        Assert.Equal(["good"], engine.JobNames);
        engine.Evaluate();
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(["good"], engine.Evaluate().Runs.Select(r => r.Name));
    }

    [Fact]
    public void RunNow_GivesTheJobsCallAndHonoursMaxRunning()
    {
        var engine = Engine("a: {function: cmd.run, args: [date], kwargs: {cwd: /tmp}, seconds: 60, return_job: false}\n");
        var run = engine.RunNow("a");
        Assert.NotNull(run);
        Assert.Equal("cmd.run", run.Function);
        Assert.Equal(["date"], run.Args);
        Assert.Equal("/tmp", run.Kwargs["cwd"]);
        Assert.False(run.ReturnJob);
        Assert.Null(engine.RunNow("a", _ => 1));
        Assert.Null(engine.RunNow("missing"));
    }

    [Fact]
    public void SkipFunction_RunsInsteadOutsideTheRange()
    {
        var engine = Engine("skip_function: test.echo\na: {function: test.ping, seconds: 10, range: {start: '11:00', end: '12:00'}}\n");
        engine.Evaluate();
        _clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(["test.echo"], engine.Evaluate().Runs.Select(r => r.Function));
    }
}
