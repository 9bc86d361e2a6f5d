using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Master.Events;
using Orchestrator.Minion.Beacons;
using Orchestrator.Shared.Data;
using Orchestrator.Shared.Rendering;
using Orchestrator.Testing;

namespace Orchestrator.Integration.Tests;

/// <summary>
/// Scenario: a real master and one minion on loopback, the minion configured with beacons in Salt's list-of-dicts form
/// (short intervals). The test changes the host (a tmpfs it fills, a directory, an HTTP listener, a process) and watches the
/// master's event bus: each change arrives once, under <c>salt/beacon/&lt;id&gt;/&lt;beacon&gt;/</c>, with the minion's id;
/// nothing arrives while nothing changes. Beacons are also added, disabled and deleted through the CLI, from pillar, and
/// survive a master restart.
/// </summary>
[Trait("Category", "Integration")]
[Collection("cluster")]
public sealed class BeaconTests : IAsyncLifetime
{
    private static readonly TimeSpan EventTimeout = TimeSpan.FromSeconds(20);

    private TestCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await TestCluster.StartAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private EventSubscription Subscribe(string prefix) => _cluster.MasterService<EventBus>().Subscribe(tag => tag.StartsWith(prefix, StringComparison.Ordinal));

    private async Task<TestMinion> MinionAsync(string id, string beaconsYaml)
    {
        return await _cluster.AddMinionAsync(id, configure: o =>
        {
            o.Raw["beacons"] = YamlLoader.Load(beaconsYaml);
            o.ConfigDir = _cluster.Root.Combine(id, "config");
            o.RequestTimeout = TimeSpan.FromSeconds(3);
        });
    }

    private static BeaconManager Beacons(TestMinion minion) => minion.Host.Services.GetRequiredService<BeaconManager>();

    private static Task PolledAsync(TestMinion minion, string beacon, long atLeast) =>
        Poll.UntilAsync(() => Beacons(minion).Status.TryGetValue(beacon, out var s) && s.Polls >= atLeast, $"{atLeast} polls of {beacon} on {minion.Options.Id}");

    /// <summary>Waits until the beacon has polled <paramref name="more"/> more times and every event it made reached the master.</summary>
    private static async Task QuietPollsAsync(TestMinion minion, string beacon, int more)
    {
        var manager = Beacons(minion);
        var polls = manager.Status.TryGetValue(beacon, out var status) ? status.Polls : 0;
        await PolledAsync(minion, beacon, polls + more);
        await Poll.UntilAsync(() => manager.EventStats is { } s && s.Queued == s.Delivered + s.Refused + s.Coalesced + s.Dropped,
            $"beacon events of {minion.Options.Id} delivered");
    }

    private static async Task<MasterEvent> NextAsync(EventSubscription events, string phase, Func<MasterEvent, bool>? match = null)
    {
        using var timeout = new CancellationTokenSource(EventTimeout);
        try
        {
            while (true)
            {
                var e = await events.Reader.ReadAsync(timeout.Token);
                if (match is null || match(e))
                {
                    return e;
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"timed out waiting for {phase}");
        }
    }

    private static void AssertNoEvent(EventSubscription events, string phase) =>
        Assert.False(events.Reader.TryRead(out var extra), $"{phase}: unexpected {extra?.Tag} {DataTree.ToJson(extra?.Data, false)}");

    [TmpfsFact]
    public async Task DiskUsage_OnAFillingTmpfs_FiresOnceWhenCrossingAndNotWhileOver()
    {
        var mount = _cluster.Root.Combine("disk");
        Directory.CreateDirectory(mount);
        Tmpfs.Mount(mount, "4m");
        try
        {
            using var events = Subscribe("salt/beacon/");
            var minion = await MinionAsync("disk1", $"""
                diskusage:
                  - '{Regex.Escape(mount)}': 50%
                  - interval: 0.2
                """);
            await QuietPollsAsync(minion, "diskusage", 1);
            AssertNoEvent(events, "empty tmpfs");

            await File.WriteAllBytesAsync(Path.Combine(mount, "fill1"), new byte[3 * 1024 * 1024]);
            var crossed = await NextAsync(events, "diskusage over 50%");
            await File.WriteAllBytesAsync(Path.Combine(mount, "fill2"), new byte[512 * 1024]);
            await QuietPollsAsync(minion, "diskusage", 3);

            Assert.Equal("salt/beacon/disk1/diskusage/", crossed.Tag);
            Assert.Equal(mount, crossed.Data["mount"]);
            Assert.InRange(Convert.ToDouble(crossed.Data["diskusage"], System.Globalization.CultureInfo.InvariantCulture), 50, 100);
            Assert.Equal("disk1", crossed.Data["id"]);
            AssertNoEvent(events, "tmpfs stays over the threshold");
        }
        finally
        {
            Tmpfs.Unmount(mount);
        }
    }

    [Fact]
    public async Task Inotify_ReportsCreateModifyDelete_InATempDirectory()
    {
        var dir = _cluster.Root.Combine("watched");
        Directory.CreateDirectory(dir);
        using var events = Subscribe("salt/beacon/");
        var minion = await MinionAsync("files1", $"""
            inotify:
              - files:
                  {dir}:
                    mask: [create, modify, delete]
              - interval: 0.1
            """);
        await PolledAsync(minion, "inotify", 1);
        var file = Path.Combine(dir, "app.conf");

        await File.WriteAllTextAsync(file, "");
        var created = await NextAsync(events, "IN_CREATE", e => (string?)e.Data["change"] == "IN_CREATE");
        await File.AppendAllTextAsync(file, "setting = 1\n");
        var modified = await NextAsync(events, "IN_MODIFY", e => (string?)e.Data["change"] == "IN_MODIFY");
        File.Delete(file);
        var deleted = await NextAsync(events, "IN_DELETE", e => (string?)e.Data["change"] == "IN_DELETE");

        Assert.All(new[] { created, modified, deleted }, e =>
        {
            Assert.Equal($"salt/beacon/files1/inotify/{dir}", e.Tag);
            Assert.Equal(file, e.Data["path"]);
            Assert.Equal("files1", e.Data["id"]);
        });
    }

    [Fact]
    public async Task HttpStatus_FiresWhenTheStatusTurnsBad_AndWhenItRecovers()
    {
        using var site = new StatusSite();
        using var events = Subscribe("salt/beacon/");
        var minion = await MinionAsync("web1", $"""
            http_status:
              - sites:
                  app:
                    url: {site.Url}health
                    timeout: 5
                    status:
                      - value: 200
                        comp: '=='
              - interval: 0.2
            """);
        await QuietPollsAsync(minion, "http_status", 2);
        AssertNoEvent(events, "site answers 200");

        site.Status = HttpStatusCode.InternalServerError;
        var failing = await NextAsync(events, "status 500 reported");
        await QuietPollsAsync(minion, "http_status", 2);
        AssertNoEvent(events, "site keeps answering 500");
        site.Status = HttpStatusCode.OK;
        var recovered = await NextAsync(events, "recovery reported");

        Assert.Equal("salt/beacon/web1/http_status/", failing.Tag);
        Assert.Equal(500L, failing.Data["received"]);
        Assert.Equal(200L, failing.Data["expected"]);
        Assert.Equal($"{site.Url}health", failing.Data["url"]);
        Assert.Equal("web1", failing.Data["id"]);
        Assert.Equal(true, recovered.Data["recovered"]);
    }

    [Fact]
    public async Task Ps_SeesAProcessWeStartAndKill_UnderEachBeaconsOwnName()
    {
        var name = "bcn" + Guid.NewGuid().ToString("N")[..8];
        var link = _cluster.Root.Combine(name);
        File.CreateSymbolicLink(link, "/bin/sleep");
        using var process = Process.Start(new ProcessStartInfo(link, "300") { UseShellExecute = false })!;
        try
        {
            using var events = Subscribe("salt/beacon/");
            var minion = await MinionAsync("proc1", $$"""
                ps:
                  - processes: {{{name}}: running}
                  - interval: 0.2
                ps_gone:
                  - beacon_module: ps
                  - processes: {{{name}}: stopped}
                  - interval: 0.2
                """);

            var running = await NextAsync(events, "process running");
            await QuietPollsAsync(minion, "ps_gone", 2);
            AssertNoEvent(events, "process still running");
            process.Kill();
            await process.WaitForExitAsync();
            var stopped = await NextAsync(events, "process stopped");

            Assert.Equal("salt/beacon/proc1/ps/", running.Tag);
            Assert.Equal("Running", running.Data[name]);
            Assert.Equal("proc1", running.Data["id"]);
            Assert.Equal("salt/beacon/proc1/ps_gone/", stopped.Tag);
            Assert.Equal("Stopped", stopped.Data[name]);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
    }

    [Fact]
    public async Task BeaconsModule_AddDisableDeleteSave_ThroughTheCli_WithCompleteEventsOnTheMaster()
    {
        using var control = Subscribe("salt/minion/ctl1/beacons_");
        using var beacons = Subscribe("salt/beacon/ctl1/");
        var minion = await MinionAsync("ctl1", "{}");

        var add = await _cluster.CliAsync("--out", "json", "--static", "ctl1", "beacons.add", "ps",
            "[{processes: {no-such-proc-7f3a: stopped}}, {interval: 0.2}]");
        var added = await NextAsync(control, "beacons_add_complete");
        var fired = await NextAsync(beacons, "the added beacon's first event");
        var disable = await _cluster.CliAsync("--out", "json", "--static", "ctl1", "beacons.disable_beacon", "ps");
        var disabled = await NextAsync(control, "beacons_disable_beacon_complete");
        var save = await _cluster.CliAsync("--out", "json", "--static", "ctl1", "beacons.save");
        await NextAsync(control, "beacons_save_complete");
        var delete = await _cluster.CliAsync("--out", "json", "--static", "ctl1", "beacons.delete", "ps");
        var deleted = await NextAsync(control, "beacons_delete_complete");
        var list = await _cluster.CliAsync("--out", "json", "--static", "ctl1", "beacons.list", "return_yaml=False");

        Assert.True(add.ExitCode == 0, add.ToString());
        Assert.Equal("Added beacon: ps.", Comment(add));
        Assert.Equal("salt/minion/ctl1/beacons_add_complete", added.Tag);
        Assert.Equal(true, added.Data["complete"]);
        Assert.True(((Dictionary<string, object?>)added.Data["beacons"]!).ContainsKey("ps"));
        Assert.Equal("ctl1", added.Data["id"]);
        Assert.Equal("salt/beacon/ctl1/ps/", fired.Tag);
        Assert.Equal("Stopped", fired.Data["no-such-proc-7f3a"]);
        Assert.Equal("Disabled beacon ps on minion.", Comment(disable));
        Assert.Equal("Disabling beacon item ps", disabled.Data["comment"]);
        Assert.StartsWith("Beacons saved to ", Comment(save));
        var saved = Path.Combine(minion.Options.ConfigDir!, "minion.d", "beacons.conf");
        Assert.Contains("no-such-proc-7f3a", await File.ReadAllTextAsync(saved));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(saved));
        Assert.Equal("Deleted beacon: ps.", Comment(delete));
        Assert.Equal("Deleting beacon item: ps", deleted.Data["comment"]);
        Assert.Equal(new Dictionary<string, object?>(), ((Dictionary<string, object?>)DataTree.FromJson(list.Stdout)!)["ctl1"]);
        Assert.Empty(Beacons(minion).Status);
    }

    private static string? Comment(CliResult result) =>
        ((Dictionary<string, object?>)((Dictionary<string, object?>)DataTree.FromJson(result.Stdout)!).Values.Single()!)["comment"] as string;

    [Fact]
    public async Task PillarBeacons_RunAndFollowARefresh_AndCannotBeDeletedFromTheMinion()
    {
        await _cluster.DisposeAsync();
        using var trees = new TempDir();
        var pillar = trees.Path;
        await File.WriteAllTextAsync(Path.Combine(pillar, "top.sls"), "base:\n  '*':\n    - beacons\n");
        await WritePillarBeaconAsync(pillar, "no-such-proc-aaaa");
        _cluster = await TestCluster.StartAsync(o => o.PillarRoots["base"] = [pillar]);
        using var events = Subscribe("salt/beacon/pil1/");
        // Pillar wins on the same name, and beacons start once the pillar is in: this one must never fire.
        await MinionAsync("pil1", "{ps: [{processes: {from-minion-config: stopped}}]}");

        var first = await NextAsync(events, "the pillar beacon's event");
        await WritePillarBeaconAsync(pillar, "no-such-proc-bbbb");
        var refresh = await _cluster.CliAsync("pil1", "saltutil.refresh_pillar");
        var second = await NextAsync(events, "the refreshed pillar beacon's event");
        var delete = await _cluster.CliAsync("--out", "json", "--static", "pil1", "beacons.delete", "ps");

        Assert.Equal("salt/beacon/pil1/ps/", first.Tag);
        Assert.Equal("Stopped", first.Data["no-such-proc-aaaa"]);
        Assert.Equal(0, refresh.ExitCode);
        Assert.Equal("Stopped", second.Data["no-such-proc-bbbb"]);
        Assert.Equal("Cannot delete beacon item ps, it is configured in pillar.", Comment(delete));
        Assert.NotEqual(0, delete.ExitCode);
    }

    private static Task WritePillarBeaconAsync(string pillar, string process) =>
        File.WriteAllTextAsync(Path.Combine(pillar, "beacons.sls"), $"beacons:\n  ps:\n    - processes:\n        {process}: stopped\n    - interval: 0.2\n");

    [Fact]
    public async Task MasterDown_EventsAreCoalescedByTag_AndTheNewestArrivesWhenItIsBack()
    {
        var dir = _cluster.Root.Combine("outage");
        Directory.CreateDirectory(dir);
        var minion = await MinionAsync("out1", $"""
            inotify:
              - files:
                  {dir}:
                    mask: [create]
              - interval: 0.1
            """);
        await PolledAsync(minion, "inotify", 1);
        var manager = Beacons(minion);

        await _cluster.RestartMasterAsync(whileDown: async () =>
        {
            await Poll.UntilAsync(() => !minion.Connection.IsAuthenticated, "the minion notices the master is gone");
            for (var i = 0; i < 4; i++)
            {
                await File.WriteAllTextAsync(Path.Combine(dir, $"f{i}"), "");
                await Poll.UntilAsync(() => manager.EventStats.Queued > i, $"event {i} queued while the master is down");
            }
        });
        await Poll.UntilAsync(() => manager.EventStats is { MasterReachable: true, Delivered: >= 1 }, "the newest event delivered");

        var stats = manager.EventStats;
        Assert.Equal(4, stats.Queued);
        Assert.Equal(3, stats.Coalesced);
        Assert.Equal(1, stats.Delivered);
        Assert.True(stats.Failures >= 1);
        Assert.True(Beacons(minion).Status["inotify"].Polls > 1);
    }

    /// <summary>An HTTP endpoint on loopback that answers every request with <see cref="Status"/>.</summary>
    private sealed class StatusSite : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly CancellationTokenSource _stop = new();

        public StatusSite()
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            Url = $"http://127.0.0.1:{port}/";
            _listener.Prefixes.Add(Url);
            _listener.Start();
            _ = ServeAsync();
        }

        public string Url { get; }

        public volatile HttpStatusCode Status = HttpStatusCode.OK;

        private async Task ServeAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }
                context.Response.StatusCode = (int)Status;
                context.Response.Close();
            }
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Close();
        }
    }
}
