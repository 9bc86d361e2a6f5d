using Orchestrator.Minion.Beacons;
using Orchestrator.Minion.Beacons.Builtin;
using Orchestrator.Testing;
using static Orchestrator.Minion.Tests.Beacons.BeaconTesting;

namespace Orchestrator.Minion.Tests.Beacons;

public sealed class LogBeaconTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly string _log;

    public LogBeaconTests()
    {
        _log = _dir.Combine("app.log");
        File.WriteAllText(_log, "old error line\n");
    }

    private IBeaconWatcher Beacon() => Create(new LogBeacon(), $"""
        - file: {_log}
        - tags:
            app/error:
              regex: '.*error.*'
            app/start:
              regex: 'started'
        """);

    private static List<(string Tag, string Raw)> Matches(IReadOnlyList<Dictionary<string, object?>> events) =>
        events.Select(e => ((string)e["tag"]!, (string)e["raw"]!)).ToList();

    [Fact]
    public void ReadsOnlyNewLines_AndMatchesFromTheLineStart()
    {
        var watcher = Beacon();
        var first = Poll(watcher);

        File.AppendAllText(_log, "service started\nstarted ok\nan error here\n");
        var events = Poll(watcher);

        Assert.Empty(first);
        Assert.Equal([("app/start", "started ok"), ("app/error", "an error here")], Matches(events));
        Assert.All(events, e => Assert.Equal("yes", e["match"]));
        Assert.All(events, e => Assert.Equal("", e["error"]));
        Assert.Empty(Poll(watcher));
    }

    [Fact]
    public void PartialLine_IsMatchedOnceComplete()
    {
        var watcher = Beacon();
        Poll(watcher);

        File.AppendAllText(_log, "an err");
        var partial = Poll(watcher);
        File.AppendAllText(_log, "or here\n");

        Assert.Empty(partial);
        Assert.Equal([("app/error", "an error here")], Matches(Poll(watcher)));
    }

    [Fact]
    public void RenameAndCreate_FinishesTheOldFileThenReadsTheNewOneFromItsStart()
    {
        var watcher = Beacon();
        Poll(watcher);

        File.AppendAllText(_log, "last error in old\n");
        File.Move(_log, _log + ".1");
        File.WriteAllText(_log, "first error in new\n");

        Assert.Equal([("app/error", "last error in old"), ("app/error", "first error in new")], Matches(Poll(watcher)));
        File.AppendAllText(_log, "second error in new\n");
        Assert.Equal([("app/error", "second error in new")], Matches(Poll(watcher)));
    }

    [Fact]
    public void Truncation_StartsAgainFromTheTop()
    {
        var watcher = Beacon();
        Poll(watcher);

        File.WriteAllText(_log, "error after truncate\n");

        Assert.Equal([("app/error", "error after truncate")], Matches(Poll(watcher)));
    }

    [Fact]
    public void FileThatAppearsLater_IsReadFromItsStart()
    {
        File.Delete(_log);
        var watcher = Beacon();
        Assert.Empty(Poll(watcher));

        File.WriteAllText(_log, "error at birth\n");

        Assert.Equal([("app/error", "error at birth")], Matches(Poll(watcher)));
    }

    [Theory]
    [InlineData("- tags: {x: {regex: a}}", "'file' is required")]
    [InlineData("[{file: /var/log/x}, {tags: {bad: {regex: '(unclosed'}}}]", "'tags:bad:regex' is not a valid regular expression")]
    [InlineData("[{file: /var/log/x}, {tags: [a]}]", "'tags' must be a mapping")]
    public void BadConfig_NamesTheKey(string yaml, string expected)
    {
        var message = ConfigError(new LogBeacon(), yaml);

        Assert.StartsWith("beacon 'log': ", message);
        Assert.Contains(expected, message);
    }

    public void Dispose() => _dir.Dispose();
}
