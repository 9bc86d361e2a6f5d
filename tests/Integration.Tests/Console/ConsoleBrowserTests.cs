using System.Security.Cryptography;
using System.Text.Json;
using Orchestrator.Master.Events;
using Orchestrator.Master.Keys;
using Orchestrator.Testing;
using Xunit.Abstractions;

namespace Orchestrator.Integration.Tests.Console;

/// <summary>
/// The web console in headless chromium against a real master (rest_api, file eauth) and real minions: a colleague's
/// job link goes through the login form and back to the job, which shows each minion's highstate output and the
/// requisite graph; an event fired on the master arrives live on the events page under the user's tag glob, its data
/// shown as text; a pending key is accepted on the keys page only after its confirmation. Screenshots go to
/// TestResults/console-screenshots beside the test assembly.
/// </summary>
[Trait("Category", "Integration")]
[Collection("cluster")]
public sealed class ConsoleBrowserTests(ConsoleCluster world, ITestOutputHelper output) : IClassFixture<ConsoleCluster>
{
    private static string Js(string text) => JsonSerializer.Serialize(text);

    private async Task<BrowserPage> OpenAsLoggedInAsync(string path)
    {
        var page = await world.Browser.NewPageAsync();
        await page.NavigateAsync(new Uri(world.Address, path).ToString());
        await page.WaitForSelectorAsync("form#login", $"the login form on the way to {path}");
        await page.TypeAsync("#username", ConsoleCluster.User);
        await page.TypeAsync("#password", ConsoleCluster.Password);
        await page.SelectAsync("#eauth", "file");
        await page.ClickAsync("#login-submit");
        await page.WaitForAsync($"location.pathname + location.search === {Js(path)}", $"the login to come back to {path}");
        return page;
    }

    private async Task ScreenshotAsync(BrowserPage page, string name)
    {
        var path = ConsoleScreenshots.PathFor(name);
        await page.ScreenshotAsync(path);
        output.WriteLine($"screenshot: {path}");
    }

    [ChromiumFact]
    public async Task SharedJobLink_AfterLogin_ShowsPerMinionHighstateAndRequisiteGraph()
    {
        var token = await world.Api.LoginAsync(ConsoleCluster.User, ConsoleCluster.Password);
        var job = (Dictionary<string, object?>)(await world.Api.RunAsync(token, new(StringComparer.Ordinal)
        {
            ["client"] = "local_async",
            ["tgt"] = "web*",
            ["fun"] = "state.apply",
        }))!;
        var jid = (string)job["jid"]!;

        var page = await OpenAsLoggedInAsync($"/ui/jobs/{jid}");
        await page.WaitForSelectorAsync("#job-progress-text[data-returned='2'][data-expected='2']", "both minions' returns on the job page", TimeSpan.FromSeconds(30));
        await page.WaitForSelectorAsync(".minion-result[data-minion='web1'] pre.highstate", "web1's highstate output");
        await page.WaitForSelectorAsync(".minion-result[data-minion='web2'] pre.highstate", "web2's highstate output");
        var web1 = await page.TextAsync(".minion-result[data-minion='web1'] pre.highstate");
        Assert.Contains("          ID: config\n    Function: test.succeed_with_changes\n        Name: config\n      Result: True", web1);
        Assert.Contains("Summary for web1", web1);
        Assert.Contains("Failed:    0", web1);
        var web2 = await page.TextAsync(".minion-result[data-minion='web2'] pre.highstate");
        Assert.Contains("Function: test.fail_without_changes", web2);
        Assert.Contains("Failed:    1", web2);
        Assert.Contains("2 of 2 minions returned, 1 failed", await page.TextAsync("#job-progress-text"));

        await page.WaitForSelectorAsync("#graph-holder svg.graph", "the requisite graph");
        Assert.Equal(5, (await page.EvaluateAsync("document.querySelectorAll('#graph-holder svg .node').length")).GetInt32());
        Assert.Equal(4, (await page.EvaluateAsync("document.querySelectorAll('#graph-holder svg path.edge').length")).GetInt32());
        Assert.Equal(3, (await page.EvaluateAsync("document.querySelectorAll('#graph-holder svg .node-changed').length")).GetInt32());
        Assert.Equal(1, (await page.EvaluateAsync("document.querySelectorAll('#graph-holder svg path.edge.edge-watch').length")).GetInt32());
        Assert.Contains("current state tree", await page.TextAsync("#job-graph"));
        await ScreenshotAsync(page, "job");

        await page.SelectAsync("#graph-minion", "web2");
        await page.WaitForSelectorAsync("#graph-holder svg .node-failed", "web2's failed state in the graph");
        Assert.Empty(page.Errors);
    }

    [ChromiumFact]
    public async Task EventsPage_ShowsAFiredEventLiveUnderTheTagGlob_AsText()
    {
        var page = await OpenAsLoggedInAsync("/ui/events?tag=console/demo/*");
        await page.WaitForAsync("document.getElementById('live-status')?.textContent === 'live'", "the event stream to open");
        var bus = world.Cluster.MasterService<EventBus>();
        const string hostile = "<img src=x onerror=document.title='pwned'>";
        var n = 0;
        // The stream is open; events fired until one shows cover the moment the server's subscription starts.
        await Poll.UntilAsync(async () =>
        {
            n++;
            bus.Publish("console/other/noise", new Dictionary<string, object?>(StringComparer.Ordinal) { ["n"] = (long)n });
            bus.Publish($"console/demo/{n}", new Dictionary<string, object?>(StringComparer.Ordinal) { ["message"] = hostile, ["id"] = "web1" });
            return await page.EvaluateAsync("document.querySelectorAll('#events li:not([hidden])').length") is { } count && count.GetInt32() > 0;
        }, "a console/demo event on the events page");
        await page.WaitForSelectorAsync("#events li[data-tag='console/other/noise']", "the non-matching event to be received too");
        var visible = await page.EvaluateAsync("[...document.querySelectorAll('#events li:not([hidden])')].map(li => li.dataset.tag)");
        Assert.All(visible.EnumerateArray(), tag => Assert.StartsWith("console/demo/", tag.GetString()));
        Assert.Contains(hostile, await page.TextAsync("#events li:not([hidden]) .event-data"));
        Assert.Equal(JsonValueKind.Null, (await page.EvaluateAsync("document.querySelector('#events img')")).ValueKind);
        Assert.NotEqual("pwned", (await page.EvaluateAsync("document.title")).GetString());
        await ScreenshotAsync(page, "events");
        Assert.Empty(page.Errors);
    }

    [ChromiumFact]
    public async Task KeysPage_AcceptsAPendingKeyOnlyAfterConfirmation()
    {
        var keys = world.Cluster.MasterService<KeyStore>();
        using (var rsa = RSA.Create(2048))
        {
            Assert.Equal(KeyState.Pending, keys.Observe("web9", rsa.ExportSubjectPublicKeyInfoPem(), autoAccept: false));
        }
        var page = await OpenAsLoggedInAsync("/ui/keys");
        const string accept = "#keys-minions_pre tr[data-minion='web9'] button[data-action='accept']";
        await page.WaitForSelectorAsync(accept, "web9 among the unaccepted keys");

        await page.ClickAsync(accept);
        await page.WaitForSelectorAsync("dialog#confirm[open]", "the confirmation dialog");
        Assert.Contains("web9", await page.TextAsync("#confirm-text"));
        await ScreenshotAsync(page, "keys-confirm");
        await page.ClickAsync("#confirm-no");
        await page.WaitForAsync("!document.querySelector('dialog#confirm[open]')", "the dialog to close on Cancel");
        Assert.Equal(KeyState.Pending, keys.StateOf("web9"));

        await page.ClickAsync(accept);
        await page.WaitForSelectorAsync("dialog#confirm[open]", "the confirmation dialog again");
        await page.ClickAsync("#confirm-yes");
        await page.WaitForSelectorAsync("#keys-minions tr[data-minion='web9']", "web9 among the accepted keys");
        Assert.Equal(KeyState.Accepted, keys.StateOf("web9"));
        await ScreenshotAsync(page, "keys");

        await page.NavigateAsync(new Uri(world.Address, "/ui/minions").ToString());
        await page.WaitForSelectorAsync("#minions tr[data-minion='web2'] .status-up", "web2 up on the minions page");
        await ScreenshotAsync(page, "minions");
        Assert.Empty(page.Errors);
    }
}
