using System.Collections.Concurrent;
using System.Text.Json;
using Orchestrator.Testing;

namespace Orchestrator.Integration.Tests.Console;

/// <summary>
/// One tab: navigate, evaluate, wait for a condition in the page, click and type as a user does (mouse and keyboard
/// input events at the element), screenshots. Script errors and console errors (CSP violations among them) are kept,
/// so a test can assert the page ran clean.
/// </summary>
public sealed class BrowserPage
{
    private readonly CdpConnection _connection;
    private readonly string _session;
    private readonly ConcurrentQueue<string> _errors = new();

    internal BrowserPage(CdpConnection connection, string session)
    {
        _connection = connection;
        _session = session;
        var previous = connection.OnEvent;
        connection.OnEvent = (method, parameters, sessionId) =>
        {
            previous?.Invoke(method, parameters, sessionId);
            if (sessionId == _session)
            {
                Observe(method, parameters);
            }
        };
    }

    /// <summary>Uncaught exceptions, console.error calls and browser log errors (CSP, failed loads) seen so far.</summary>
    public IReadOnlyCollection<string> Errors => _errors.ToArray();

    internal async Task EnableAsync()
    {
        await SendAsync("Page.enable");
        await SendAsync("Runtime.enable");
        await SendAsync("Log.enable");
        await SendAsync("Emulation.setDeviceMetricsOverride", new { width = 1280, height = 900, deviceScaleFactor = 1, mobile = false });
    }

    private void Observe(string method, JsonElement parameters)
    {
        switch (method)
        {
            case "Runtime.exceptionThrown":
                _errors.Enqueue("exception: " + parameters.GetProperty("exceptionDetails").GetRawText());
                break;
            case "Runtime.consoleAPICalled" when parameters.GetProperty("type").GetString() == "error":
                _errors.Enqueue("console.error: " + parameters.GetProperty("args").GetRawText());
                break;
            case "Log.entryAdded" when parameters.GetProperty("entry").GetProperty("level").GetString() == "error":
                _errors.Enqueue("log: " + parameters.GetProperty("entry").GetProperty("text").GetString());
                break;
        }
    }

    private Task<JsonElement> SendAsync(string method, object? parameters = null) => _connection.SendAsync(method, parameters, _session);

    public async Task NavigateAsync(string url)
    {
        var result = await SendAsync("Page.navigate", new { url });
        if (result.TryGetProperty("errorText", out var error))
        {
            throw new InvalidOperationException($"navigation to {url} failed: {error.GetString()}");
        }
        await WaitForAsync("document.readyState === 'complete'", $"{url} to load");
    }

    /// <summary>Evaluates an expression (awaiting a promise) and returns its value as JSON.</summary>
    public async Task<JsonElement> EvaluateAsync(string expression)
    {
        var result = await SendAsync("Runtime.evaluate", new { expression, returnByValue = true, awaitPromise = true });
        if (result.TryGetProperty("exceptionDetails", out var details))
        {
            throw new InvalidOperationException($"{expression} threw: {details.GetRawText()}");
        }
        var remote = result.GetProperty("result");
        return remote.TryGetProperty("value", out var value) ? value.Clone() : default;
    }

    public async Task<string> TextAsync(string selector)
    {
        var value = await EvaluateAsync($"document.querySelector({JsonSerializer.Serialize(selector)})?.textContent ?? null");
        return value.ValueKind == JsonValueKind.String ? value.GetString()! : throw new InvalidOperationException($"no element {selector}");
    }

    /// <summary>Waits until a page expression is truthy; the timeout names the phase and the page's errors.</summary>
    public async Task WaitForAsync(string expression, string phase, TimeSpan? timeout = null)
    {
        try
        {
            await Poll.UntilAsync(async () => await EvaluateAsync($"!!({expression})") is { ValueKind: JsonValueKind.True }, phase, timeout ?? TimeSpan.FromSeconds(15));
        }
        catch (TimeoutException e)
        {
            var url = await EvaluateAsync("location.href");
            throw new TimeoutException($"{e.Message} (at {url}; page errors: {string.Join(" | ", Errors)})", e);
        }
    }

    public Task WaitForSelectorAsync(string selector, string phase, TimeSpan? timeout = null) =>
        WaitForAsync($"document.querySelector({JsonSerializer.Serialize(selector)})", phase, timeout);

    /// <summary>Clicks the middle of the element with real mouse events (it must be visible and not covered).</summary>
    public async Task ClickAsync(string selector)
    {
        await WaitForAsync(
            $"(() => {{ const e = document.querySelector({JsonSerializer.Serialize(selector)}); if (!e) return false; const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0; }})()",
            $"{selector} to be visible");
        var box = await EvaluateAsync(
            $"(() => {{ const e = document.querySelector({JsonSerializer.Serialize(selector)}); e.scrollIntoView({{block: 'center'}}); const r = e.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; }})()");
        var x = box[0].GetDouble();
        var y = box[1].GetDouble();
        await SendAsync("Input.dispatchMouseEvent", new { type = "mouseMoved", x, y });
        await SendAsync("Input.dispatchMouseEvent", new { type = "mousePressed", x, y, button = "left", clickCount = 1 });
        await SendAsync("Input.dispatchMouseEvent", new { type = "mouseReleased", x, y, button = "left", clickCount = 1 });
    }

    /// <summary>Clicks into a field and types the text (keyboard text input, as from an IME).</summary>
    public async Task TypeAsync(string selector, string text)
    {
        await ClickAsync(selector);
        await SendAsync("Input.insertText", new { text });
    }

    /// <summary>Selects an option of a select element and fires its change event, as picking it does.</summary>
    public Task SelectAsync(string selector, string value) => EvaluateAsync(
        $"(() => {{ const e = document.querySelector({JsonSerializer.Serialize(selector)}); e.value = {JsonSerializer.Serialize(value)}; e.dispatchEvent(new Event('change', {{bubbles: true}})); }})()");

    /// <summary>Writes a PNG of the whole page to <paramref name="path"/>.</summary>
    public async Task ScreenshotAsync(string path)
    {
        var result = await SendAsync("Page.captureScreenshot", new { format = "png", captureBeyondViewport = true });
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllBytesAsync(path, Convert.FromBase64String(result.GetProperty("data").GetString()!));
    }
}
