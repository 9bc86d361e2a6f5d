using System.Diagnostics;
using System.Text.RegularExpressions;
using Orchestrator.Testing;

namespace Orchestrator.Integration.Tests.Console;

/// <summary>
/// Debian's chromium, headless, driven over the DevTools protocol: started with <c>--remote-debugging-port=0</c> and a
/// profile in a temp dir; the websocket address is read from the line chromium prints on stderr.
/// </summary>
public sealed partial class ChromiumBrowser : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);

    private readonly Process _process;
    private readonly TempDir _profile;
    private readonly CdpConnection _connection;

    private ChromiumBrowser(Process process, TempDir profile, CdpConnection connection)
    {
        _process = process;
        _profile = profile;
        _connection = connection;
    }

    [GeneratedRegex(@"DevTools listening on (ws://\S+)")]
    private static partial Regex ListeningLine();

    public static async Task<ChromiumBrowser> LaunchAsync()
    {
        var profile = new TempDir();
        var start = new ProcessStartInfo(ChromiumFactAttribute.Binary)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
            "--no-default-browser-check", "--disable-extensions", "--disable-background-networking", "--disable-sync",
            "--disable-component-update", "--password-store=basic", "--window-size=1280,900", "--remote-debugging-port=0",
            $"--user-data-dir={profile.Path}", "about:blank",
        })
        {
            start.ArgumentList.Add(argument);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("chromium did not start");
        var endpoint = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var stderr = new System.Text.StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                endpoint.TrySetException(new InvalidOperationException($"chromium exited before listening: {stderr}"));
                return;
            }
            lock (stderr)
            {
                stderr.AppendLine(e.Data);
            }
            if (ListeningLine().Match(e.Data) is { Success: true } match)
            {
                endpoint.TrySetResult(new Uri(match.Groups[1].Value));
            }
        };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        try
        {
            var uri = await endpoint.Task.WaitAsync(StartTimeout);
            var connection = await CdpConnection.ConnectAsync(uri, CancellationToken.None);
            return new ChromiumBrowser(process, profile, connection);
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            profile.Dispose();
            throw;
        }
    }

    /// <summary>A new tab, attached, with page, runtime and log events on.</summary>
    public async Task<BrowserPage> NewPageAsync()
    {
        var target = await _connection.SendAsync("Target.createTarget", new { url = "about:blank" });
        var targetId = target.GetProperty("targetId").GetString()!;
        var attached = await _connection.SendAsync("Target.attachToTarget", new { targetId, flatten = true });
        var page = new BrowserPage(_connection, attached.GetProperty("sessionId").GetString()!);
        await page.EnableAsync();
        return page;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _connection.SendAsync("Browser.close").WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception e) when (e is TimeoutException or IOException or InvalidOperationException)
        {
            // Killed below.
        }
        await _connection.DisposeAsync();
        using (var exit = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            try
            {
                await _process.WaitForExitAsync(exit.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        _process.Dispose();
        _profile.Dispose();
    }
}
