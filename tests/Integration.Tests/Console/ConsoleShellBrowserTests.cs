using Xunit.Abstractions;

namespace Orchestrator.Integration.Tests.Console;

/// <summary>
/// The console's shell in headless chromium, with the files alone (no API behind them): a shared job link opens the
/// login page that will come back to it, under the strict Content-Security-Policy, with no script error.
/// </summary>
[Trait("Category", "Integration")]
[Collection("cluster")]
public sealed class ConsoleShellBrowserTests(ITestOutputHelper output)
{
    [ChromiumFact]
    public async Task JobLinkWithoutSession_ShowsLoginThatReturnsToIt()
    {
        await using var host = await ConsoleHost.StartAsync();
        await using var browser = await ChromiumBrowser.LaunchAsync();
        var page = await browser.NewPageAsync();
        await page.NavigateAsync(new Uri(host.Address, "/ui/jobs/20240101120000123456").ToString());
        await page.WaitForSelectorAsync("form#login", "the login form");
        var location = (await page.EvaluateAsync("location.pathname + location.search")).GetString();
        Assert.Equal("/ui/login?next=%2Fui%2Fjobs%2F20240101120000123456", location);
        Assert.Equal("pam,file", (await page.EvaluateAsync("[...document.querySelectorAll('#eauth option')].map(o => o.value).join()")).GetString());
        Assert.Equal("none", (await page.EvaluateAsync("getComputedStyle(document.getElementById('nav')).display")).GetString());
        var shot = ConsoleScreenshots.PathFor("login");
        await page.ScreenshotAsync(shot);
        output.WriteLine($"screenshot: {shot}");
        Assert.Empty(page.Errors);
    }
}
