using Orchestrator.Master.Events;
using Orchestrator.Shared.Crypto;
using Orchestrator.Shared.Protocol;
using Orchestrator.Shared.Protocol.Messages;
using Orchestrator.Shared.Data;
using Orchestrator.Testing;

namespace Orchestrator.Integration.Tests;

/// <summary>
/// Scenario: the master's event bus as a Salt user's reactor config sees it. Jobs, returns, runner calls, keys and minion
/// events carry Salt's own tags and fields; <c>orch run state.event</c> prints them as Salt's runner does; minions fire
/// user tags with <c>event.send</c> but never the master's.
/// </summary>
[Trait("Category", "Integration")]
[Collection("cluster")]
public sealed class EventBusTests : IAsyncLifetime
{
    private TestCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        _cluster = await TestCluster.StartAsync();
        await _cluster.AddMinionAsync("web1");
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private EventSubscription Watch(Func<string, bool> filter) => _cluster.MasterService<EventBus>().Subscribe(filter);

    [Fact]
    public async Task Job_NewAndReturnEvents_CarrySaltsTagsAndFields()
    {
        using var job = Watch(tag => tag.StartsWith("salt/job/", StringComparison.Ordinal));

        var result = await _cluster.CliAsync("web1", "test.arg", "one", "two=2");

        Assert.Equal(0, result.ExitCode);
        var created = await TestCluster.WaitForEventAsync(job, "salt/job/<jid>/new");
        var returned = await TestCluster.WaitForEventAsync(job, "salt/job/<jid>/ret/web1");
        var jid = (string)created.Data["jid"]!;
        Assert.Equal($"salt/job/{jid}/new", created.Tag);
        Assert.Equal("test.arg", created.Data["fun"]);
        Assert.Equal("web1", created.Data["tgt"]);
        Assert.Equal("glob", created.Data["tgt_type"]);
        Assert.Equal(["web1"], (List<object?>)created.Data["minions"]!);
        var arg = (List<object?>)created.Data["arg"]!;
        Assert.Equal("one", arg[0]);
        Assert.Equal(true, ((Dictionary<string, object?>)arg[1]!)["__kwarg__"]);
        Assert.Equal(2L, ((Dictionary<string, object?>)arg[1]!)["two"]);
        Assert.Equal($"salt/job/{jid}/ret/web1", returned.Tag);
        Assert.Equal("web1", returned.Data["id"]);
        Assert.Equal(jid, returned.Data["jid"]);
        Assert.Equal("_return", returned.Data["cmd"]);
        Assert.Equal(0L, returned.Data["retcode"]);
        Assert.Equal(true, returned.Data["success"]);
        Assert.Equal(arg.Count, ((List<object?>)returned.Data["fun_args"]!).Count);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$", (string)returned.Data["_stamp"]!);
    }

    [Fact]
    public async Task StateEvent_PrintsTagTabJson_ForMatchingTagsOnly_AndStopsAfterCount()
    {
        var stream = _cluster.CliVerbAsync("run", "state.event", "salt/job/*/ret/*", "count=1");
        // The stream subscribes asynchronously: keep returns coming until it has printed one.
        while (!stream.IsCompleted)
        {
            await _cluster.CliAsync("web1", "test.ping");
            await Task.WhenAny(stream, Task.Delay(200));
        }

        var result = await stream;
        Assert.Equal(0, result.ExitCode);
        var line = Assert.Single(result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var (tag, json) = (line[..line.IndexOf('\t')], line[(line.IndexOf('\t') + 1)..]);
        Assert.Matches(@"^salt/job/\d{20}/ret/web1$", tag);
        // Python's json.dumps: one line, ", " and ": " separators.
        Assert.Contains("\"id\": \"web1\", ", json);
        Assert.Equal(true, ((Dictionary<string, object?>)DataTree.FromJson(json)!)["return"]);
    }

    [Fact]
    public async Task StateEvent_Pretty_IndentsAndSortsKeys()
    {
        var stream = _cluster.CliVerbAsync("run", "state.event", "tagmatch=pretty/*", "count=1", "pretty=True");
        while (!stream.IsCompleted)
        {
            await _cluster.CliVerbAsync("run", "event.send", "pretty/tag", "data={\"zeta\": 1, \"alpha\": [1, 2]}");
            await Task.WhenAny(stream, Task.Delay(200));
        }

        var result = await stream;
        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("pretty/tag\t{\n    \"_stamp\": ", result.Stdout);
        Assert.Contains("\n    \"alpha\": [\n        1,\n        2\n    ],\n", result.Stdout);
        Assert.True(result.Stdout.IndexOf("\"alpha\"", StringComparison.Ordinal) < result.Stdout.IndexOf("\"zeta\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task MinionEventSend_ArrivesWithSaltsMinionEventShape()
    {
        using var mine = Watch(tag => tag == "myco/app/ready");

        var result = await _cluster.CliAsync("web1", "event.send", "myco/app/ready", "{\"k\": 1}", "extra=yes", "with_grains=[id]");

        Assert.Equal(0, result.ExitCode);
        var e = await TestCluster.WaitForEventAsync(mine, "myco/app/ready");
        Assert.Equal("web1", e.Data["id"]);
        Assert.Equal("_minion_event", e.Data["cmd"]);
        Assert.Equal("myco/app/ready", e.Data["tag"]);
        var payload = (Dictionary<string, object?>)e.Data["data"]!;
        Assert.Equal(1L, payload["k"]);
        Assert.Equal("yes", payload["extra"]);
        Assert.Equal("web1", ((Dictionary<string, object?>)payload["grains"]!)["id"]);
    }

    [Fact]
    public async Task MinionFiringMasterScopedTag_IsRefused_AndReportedAsFailure()
    {
        using var forged = Watch(tag => tag.StartsWith("salt/", StringComparison.Ordinal) && !tag.StartsWith("salt/job/", StringComparison.Ordinal)
            && !tag.StartsWith("salt/run/", StringComparison.Ordinal));

        var key = await _cluster.CliAsync("web1", "event.send", "salt/key", "{\"id\": \"evil\", \"act\": \"accept\"}");
        var otherBeacon = await _cluster.CliAsync("web1", "event.fire_master", "{\"x\": 1}", "salt/beacon/web2/load/");
        var marker = await _cluster.CliAsync("web1", "event.send", "after/refusals");

        Assert.NotEqual(0, key.ExitCode);
        Assert.Contains("refused", key.Stdout + key.Stderr);
        Assert.NotEqual(0, otherBeacon.ExitCode);
        Assert.Equal(0, marker.ExitCode);
        Assert.Empty(forged.Drain());
    }

    [Fact]
    public async Task RunnerEventSend_AndRunEvents()
    {
        using var seen = Watch(tag => tag == "ops/deploy" || tag.StartsWith("salt/run/", StringComparison.Ordinal));

        var result = await _cluster.CliVerbAsync("run", "event.send", "ops/deploy", "data={\"version\": \"1.2\"}");

        Assert.Equal(0, result.ExitCode);
        var events = new List<MasterEvent>();
        while (events.Count < 3)
        {
            events.Add(await TestCluster.WaitForEventAsync(seen, "salt/run new, the event, salt/run ret"));
        }
        Assert.Matches(@"^salt/run/\d{20}/new$", events[0].Tag);
        Assert.Equal("runner.event.send", events[0].Data["fun"]);
        Assert.Equal("ops/deploy", events[1].Tag);
        Assert.Equal("1.2", events[1].Data["version"]);
        Assert.Equal(events[0].Tag.Replace("/new", "/ret", StringComparison.Ordinal), events[2].Tag);
        Assert.Equal(true, events[2].Data["success"]);
        Assert.Equal(true, events[2].Data["return"]);
        // Runner jobs are in the job cache, under <master id>_master as Salt files them.
        var lookup = await _cluster.CliVerbAsync("run", "jobs.lookup_jid", (string)events[0].Data["jid"]!, "--out", "json");
        Assert.Equal(0, lookup.ExitCode);
        Assert.Equal(true, ((Dictionary<string, object?>)DataTree.FromJson(lookup.Stdout)!)["master_master"]);
    }

    [Fact]
    public async Task FailedRunner_RetEventSaysSuccessFalse_AndExitIsNonZero()
    {
        using var seen = Watch(tag => tag.StartsWith("salt/run/", StringComparison.Ordinal) && tag.EndsWith("/ret", StringComparison.Ordinal));

        var result = await _cluster.CliVerbAsync("run", "jobs.lookup_jid");

        Assert.NotEqual(0, result.ExitCode);
        var e = await TestCluster.WaitForEventAsync(seen, "salt/run/<jid>/ret");
        Assert.Equal(false, e.Data["success"]);
        Assert.Contains("jid is required", (string)e.Data["return"]!);
    }

    /// <summary>A minion config for <c>orch call</c> as id <paramref name="id"/> with the keys in <paramref name="pkiDir"/>.</summary>
    private async Task<string> CallerConfigAsync(string id, string pkiDir)
    {
        var dir = _cluster.Root.Combine($"call-{id}");
        Directory.CreateDirectory(dir);
        await File.WriteAllTextAsync(Path.Combine(dir, "minion"), $"""
            id: {id}
            master: 127.0.0.1
            master_port: {_cluster.MasterOptions.RetPort}
            publish_port: {_cluster.MasterOptions.PublishPort}
            pki_dir: {pkiDir}
            cachedir: {Path.Combine(dir, "cache")}
            """);
        return dir;
    }

    [Fact]
    public async Task OrchCall_OnAHostWhoseDaemonIsConnected_LeavesTheDaemonsSessionAlone()
    {
        var web1 = _cluster.Minions["web1"];
        var dir = await CallerConfigAsync("web1", web1.Options.PkiDir);
        var metrics = _cluster.MasterService<Master.Transport.MasterMetrics>();
        var (forged, unauthenticated) = (metrics.Forged, metrics.Unauthenticated);

        var exit = await Cli.CliApp.RunAsync(["call", "-c", dir, "event.send", "from/the/call"], new StringWriter(), new StringWriter(), CancellationToken.None);
        var ping = await _cluster.CliAsync("web1", "test.ping");
        var again = await Cli.CliApp.RunAsync(["call", "-c", dir, "test.ping"], new StringWriter(), new StringWriter(), CancellationToken.None);
        var pingAgain = await _cluster.CliAsync("web1", "test.ping");

        Assert.Equal(0, exit);
        Assert.Equal(0, again);
        Assert.Equal(0, ping.ExitCode);
        Assert.Equal(0, pingAgain.ExitCode);
        // The daemon's requests still open under its own session: nothing was refused as forged or unknown.
        Assert.Equal(forged, metrics.Forged);
        Assert.Equal(unauthenticated, metrics.Unauthenticated);
    }

    [Fact]
    public async Task OrchCall_EventSend_ReachesTheMaster_WithoutAMinionStartEvent()
    {
        var dir = await CallerConfigAsync("caller1", _cluster.Root.Combine("caller", "pki"));
        using var seen = Watch(tag => tag == "my/call" || tag == EventTag.MinionStart("caller1"));
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        // The real path: orch runs orch-minion call, which authenticates as caller1 for this one call.
        var exit = await Cli.CliApp.RunAsync(["call", "-c", dir, "event.send", "my/call", "{\"k\": 1}"], stdout, stderr, CancellationToken.None);

        Assert.True(exit == 0, stdout + stderr.ToString());
        var e = await TestCluster.WaitForEventAsync(seen, "my/call");
        Assert.Equal("my/call", e.Tag);
        Assert.Equal("caller1", e.Data["id"]);
        Assert.Equal(1L, ((Dictionary<string, object?>)e.Data["data"]!)["k"]);
        // A start reactor must not run for every orch call.
        await _cluster.CliAsync("web1", "test.ping");
        Assert.Empty(seen.Drain());
    }

    [Fact]
    public async Task RedeliveredReturn_IsStoredOnce_AndAnnouncedOnce()
    {
        using var peer = new TestPeer(_cluster.MasterOptions.RetPort, "dup1");
        Assert.Equal("accepted", peer.Authenticate(_cluster.MasterService<RsaKeyPair>().Fingerprint));
        var published = await _cluster.CliAsync("--async", "dup1", "test.ping");
        var jid = published.Stdout.Trim().Split(' ').Last();
        using var returns = Watch(tag => tag == $"salt/job/{jid}/ret/dup1");
        var body = WireCodec.Serialize(new JobReturn { Jid = jid, Function = "test.ping", Return = true, Success = true });

        // The same return twice, as a minion whose ReturnAck was lost sends it again from its outbox.
        for (var i = 0; i < 2; i++)
        {
            peer.Send(peer.Sealed(MessageType.JobReturn, body));
            Assert.Equal(MessageType.ReturnAck, peer.Receive(TimeSpan.FromSeconds(10))?.Kind);
        }

        await TestCluster.WaitForEventAsync(returns, "the return announced");
        await _cluster.CliAsync("web1", "test.ping");
        Assert.Empty(returns.Drain());
        Assert.Single(_cluster.MasterService<Master.Jobs.IJobCache>().GetReturns(jid));
    }
}
