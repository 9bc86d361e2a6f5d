using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;
using Orchestrator.Master.Events;
using Orchestrator.Master.Hosting;
using Orchestrator.Master.Reactor;
using Orchestrator.Testing;

namespace Orchestrator.Master.Tests.Reactor;

public sealed class ReactorEngineTests : IDisposable
{
    private readonly TempDir _dir = Some.TempDir();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 5, 1, 8, 0, 0, TimeSpan.Zero));
    private readonly CollectingLogger<ReactorEngine> _log = new();
    private readonly CollectingExecutor _executor = new();
    private readonly EventBus _bus;

    public ReactorEngineTests()
    {
        _bus = new EventBus(_time);
    }

    public void Dispose() => _dir.Dispose();

    private sealed class CollectingExecutor : IReactionExecutor
    {
        public ConcurrentQueue<ReactorAction> Ran { get; } = new();

        public Func<ReactorAction, bool> Fails { get; set; } = _ => false;

        public TaskCompletionSource<ReactorAction> First { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<string> ExecuteAsync(ReactorAction action, CancellationToken cancellationToken)
        {
            if (Fails(action))
            {
                throw new InvalidOperationException("no accepted minion matches glob target 'nobody'");
            }
            Ran.Enqueue(action);
            First.TrySetResult(action);
            return Task.FromResult("done");
        }
    }

    private string Sls(string name, string text)
    {
        var path = _dir.Combine(name);
        File.WriteAllText(path, text);
        return path;
    }

    private string Echo(string name) => Sls(name, $"{name}:\n  local.cmd.run:\n    - tgt: '*'\n    - arg:\n      - echo {{{{ data.get('n', 0) }}}}\n");

    private ReactorEngine Engine(Action<ReactorOptions> configure)
    {
        var options = new MasterOptions();
        options.Reactor.DedupWindow = TimeSpan.Zero;
        configure(options.Reactor);
        return new ReactorEngine(options, _bus, new ReactionRenderer(options, new FileServer.FileServer(options), _time), _executor, _time, _log);
    }

    private static MasterEvent Event(string tag, long n = 0, string? user = null)
    {
        var data = new Dictionary<string, object?>(StringComparer.Ordinal) { ["n"] = n };
        if (user is not null)
        {
            data["user"] = user;
        }
        return new MasterEvent(tag, data, DateTimeOffset.UnixEpoch);
    }

    [Fact]
    public async Task SeveralRulesMatch_EachRunsInRuleOrder()
    {
        using var engine = Engine(o => o.Rules =
        [
            new ReactorRule("my/*", [Echo("first")]),
            new ReactorRule("other/*", [Echo("never")]),
            new ReactorRule("my/tag", [Echo("second")]),
        ]);

        engine.Offer(Event("my/tag"));
        await engine.DrainAsync(CancellationToken.None);

        Assert.Equal(["first", "second"], _executor.Ran.Select(a => a.Id));
        Assert.Equal(2, engine.Stats.Matched);
        Assert.Equal(2, engine.Stats.Run);
    }

    [Fact]
    public async Task EventsFromTheReactorItself_NotReactedTo()
    {
        using var engine = Engine(o => o.Rules = [new ReactorRule("salt/run/*", [Echo("loop")])]);

        engine.Offer(Event("salt/run/1/new", user: ReactorEngine.User));
        await engine.DrainAsync(CancellationToken.None);

        Assert.Empty(_executor.Ran);
        Assert.Equal(0, engine.Stats.Matched);
    }

    [Fact]
    public void QueueOverflow_DropsCountsAndLogsOncePerPeriod()
    {
        using var engine = Engine(o =>
        {
            o.Rules = [new ReactorRule("my/*", [Echo("a")])];
            o.QueueCapacity = 3;
        });

        for (var i = 0; i < 10; i++)
        {
            engine.Offer(Event("my/tag", i));
        }
        var firstReport = _log.WithId(1404);
        _time.Advance(TimeSpan.FromSeconds(10));
        engine.Offer(Event("my/tag", 99));

        Assert.Equal(11, engine.Stats.Matched);
        Assert.Equal(8, engine.Stats.Dropped);
        Assert.Equal(3, engine.Queued);
        var line = Assert.Single(firstReport);
        Assert.Contains("reactor_worker_hwm", line);
        Assert.Equal(2, _log.WithId(1404).Count);
        Assert.Contains("dropped 7 since the last report", _log.WithId(1404)[1]);
    }

    [Fact]
    public async Task RateLimit_RunsCountPerWindow_ThenTheNextWindow()
    {
        using var engine = Engine(o =>
        {
            o.Rules = [new ReactorRule("my/*", [Echo("a")])];
            o.RateLimitCount = 5;
            o.RateLimitPer = TimeSpan.FromSeconds(10);
        });

        for (var i = 0; i < 20; i++)
        {
            engine.Offer(Event("my/tag", i));
        }
        await engine.DrainAsync(CancellationToken.None);
        var inFirstWindow = _executor.Ran.Count;
        _time.Advance(TimeSpan.FromSeconds(10));
        engine.Offer(Event("my/tag", 100));
        await engine.DrainAsync(CancellationToken.None);

        Assert.Equal(5, inFirstWindow);
        Assert.Equal(6, _executor.Ran.Count);
        Assert.Equal(15, engine.Stats.RateLimited);
        var line = Assert.Single(_log.WithId(1405));
        Assert.Contains("5 actions per 10 s", line);
    }

    [Fact]
    public async Task RateLimit_IsPerRule()
    {
        using var engine = Engine(o =>
        {
            o.Rules = [new ReactorRule("my/*", [Echo("a")]), new ReactorRule("my/tag", [Echo("b")])];
            o.RateLimitCount = 1;
        });

        engine.Offer(Event("my/tag", 1));
        engine.Offer(Event("my/tag", 2));
        await engine.DrainAsync(CancellationToken.None);

        Assert.Equal(["a", "b"], _executor.Ran.Select(a => a.Id));
    }

    [Fact]
    public async Task Dedup_SameRenderedActionWithinWindow_RunsOnce()
    {
        using var engine = Engine(o =>
        {
            o.Rules = [new ReactorRule("my/*", [Echo("a")])];
            o.DedupWindow = TimeSpan.FromSeconds(5);
        });

        for (var i = 0; i < 10; i++)
        {
            engine.Offer(Event("my/tag", 7));
        }
        engine.Offer(Event("my/tag", 8));
        await engine.DrainAsync(CancellationToken.None);
        var beforeWindowEnds = _executor.Ran.Count;
        _time.Advance(TimeSpan.FromSeconds(5));
        engine.Offer(Event("my/tag", 7));
        await engine.DrainAsync(CancellationToken.None);

        Assert.Equal(2, beforeWindowEnds);
        Assert.Equal(3, _executor.Ran.Count);
        Assert.Equal(9, engine.Stats.Deduplicated);
    }

    [Fact]
    public async Task Dedup_DuplicatesDoNotSpendTheRateBudget()
    {
        using var engine = Engine(o =>
        {
            o.Rules = [new ReactorRule("my/*", [Echo("a")])];
            o.DedupWindow = TimeSpan.FromSeconds(5);
            o.RateLimitCount = 2;
        });

        engine.Offer(Event("my/tag", 1));
        engine.Offer(Event("my/tag", 1));
        engine.Offer(Event("my/tag", 1));
        engine.Offer(Event("my/tag", 2));
        await engine.DrainAsync(CancellationToken.None);

        Assert.Equal(2, _executor.Ran.Count);
        Assert.Equal(0, engine.Stats.RateLimited);
    }

    [Fact]
    public async Task RenderError_FiresErrorEventNamingTheFile_AndTheNextEventStillReacts()
    {
        var bad = Sls("bad.sls", "{% if data['n'] == 1 %}{{ data['missing'] }}{% endif %}\nok:\n  runner.jobs.active: []\n");
        using var errors = _bus.Subscribe(tag => tag == ReactorEngine.ErrorTag);
        using var engine = Engine(o => o.Rules = [new ReactorRule("my/*", [bad])]);

        engine.Offer(Event("my/tag", 1));
        engine.Offer(Event("my/tag", 1));
        engine.Offer(Event("my/tag", 2));
        await engine.DrainAsync(CancellationToken.None);

        var error = Assert.Single(errors.Drain());
        Assert.Equal(bad, error.Data["file"]);
        Assert.Equal(1L, error.Data["line"]);
        Assert.Equal("my/tag", error.Data["tag"]);
        Assert.Equal("my/*", error.Data["rule"]);
        Assert.Equal(ReactorEngine.User, error.Data["user"]);
        Assert.Contains("missing", (string)error.Data["error"]!);
        Assert.Equal(2, engine.Stats.RenderErrors);
        Assert.Equal("ok", Assert.Single(_executor.Ran).Id);
        Assert.Contains(bad, Assert.Single(_log.WithId(1403)));
    }

    [Fact]
    public async Task FailedAction_FiresErrorEventWithIdAndLine_AndTheOthersRun()
    {
        var file = Sls("two.sls", "first:\n  local.test.ping:\n    - tgt: nobody\nsecond:\n  local.test.ping:\n    - tgt: '*'\n");
        using var errors = _bus.Subscribe(tag => tag == ReactorEngine.ErrorTag);
        using var engine = Engine(o => o.Rules = [new ReactorRule("my/*", [file])]);
        _executor.Fails = a => a.Target == "nobody";

        engine.Offer(Event("my/tag"));
        await engine.DrainAsync(CancellationToken.None);

        var error = Assert.Single(errors.Drain());
        Assert.Equal("first", error.Data["id"]);
        Assert.Equal(1L, error.Data["line"]);
        Assert.Contains("no accepted minion", (string)error.Data["error"]!);
        Assert.Equal("second", Assert.Single(_executor.Ran).Id);
        Assert.Equal(1, engine.Stats.Failed);
        Assert.Equal(2, engine.Stats.Run);
    }

    [Fact]
    public async Task Test_ListsActionsAndRunsNothing_NorSpendsTheBudget()
    {
        using var engine = Engine(o =>
        {
            o.Rules = [new ReactorRule("my/*", [Echo("a")]), new ReactorRule("other", [Echo("b")])];
            o.RateLimitCount = 1;
        });

        var result = engine.Test("my/tag", new(StringComparer.Ordinal) { ["n"] = 3L });
        engine.Offer(Event("my/tag", 4));
        await engine.DrainAsync(CancellationToken.None);

        var action = Assert.IsType<Dictionary<string, object?>>(Assert.Single((List<object?>)result["actions"]!));
        Assert.Equal("local.cmd.run", action["fun"]);
        Assert.Equal("*", action["tgt"]);
        Assert.Equal(new List<object?> { "echo 3" }, action["arg"]);
        Assert.Equal("run", action["would"]);
        Assert.Single((List<object?>)result["rules"]!);
        Assert.Equal("echo 4", Assert.Single(Assert.Single(_executor.Ran).Args));
        Assert.Equal(1, engine.Stats.Matched);
    }

    [Fact]
    public void Test_ShowsErrorsAndWhatWouldBeSkipped()
    {
        var bad = Sls("bad.sls", "a:\n  local.test.ping: []\n");
        using var engine = Engine(o => o.Rules = [new ReactorRule("my/*", [bad])]);

        var result = engine.Test("my/tag", new(StringComparer.Ordinal) { ["user"] = ReactorEngine.User });

        var error = Assert.IsType<Dictionary<string, object?>>(Assert.Single((List<object?>)result["errors"]!));
        Assert.Equal(bad, error["file"]);
        Assert.Contains("not reacted to", (string)result["skipped"]!);
    }

    [Fact]
    public void AddAndDelete_AsSaltAnswers()
    {
        using var engine = Engine(o => o.Rules = [new ReactorRule("a", ["/x.sls"])]);

        Assert.Equal(false, engine.Add("a", ["/y.sls"])["status"]);
        Assert.Equal("Reactor added.", engine.Add("b", ["/y.sls"])["comment"]);
        Assert.Equal(["a", "b"], engine.Rules.Select(r => r.Tag));
        Assert.Equal("Reactor deleted.", engine.Delete("a")["comment"]);
        Assert.Equal("Reactor does not exists.", engine.Delete("a")["comment"]);
        Assert.Equal(["b"], engine.Rules.Select(r => r.Tag));
    }

    [Fact]
    public void MapFile_ReadAtStart()
    {
        var map = Sls("reactor.conf", "- 'my/*':\n  - /srv/a.sls\n");
        using var engine = Engine(o => o.MapFile = map);

        Assert.Equal("my/*", Assert.Single(engine.Rules).Tag);
        Assert.Equal(false, engine.Add("b", ["/y.sls"])["status"]);
    }

    [Fact]
    public void MapFile_Broken_LoggedNotThrown()
    {
        var map = Sls("reactor.conf", "- just a string\n");
        using var engine = Engine(o => o.MapFile = map);

        Assert.Empty(engine.Rules);
        Assert.Contains(map, Assert.Single(_log.WithId(1409)));
    }

    [Fact]
    public async Task RunAsync_ReactsToTheBus_AndStopsOnCancel()
    {
        using var engine = Engine(o => o.Rules = [new ReactorRule("my/*", [Echo("a")])]);
        using var stop = new CancellationTokenSource();
        var run = engine.RunAsync(stop.Token);

        _bus.Publish("other/tag", new(StringComparer.Ordinal));
        _bus.Publish("my/tag", new(StringComparer.Ordinal) { ["n"] = 5L });
        var ran = await _executor.First.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal("echo 5", Assert.Single(ran.Args));
        Assert.Equal(1, engine.Stats.Matched);
        Assert.Single(_log.WithId(1410));
    }
}
