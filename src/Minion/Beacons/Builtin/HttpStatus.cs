using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Orchestrator.Minion.Modules;
using Orchestrator.Shared.Data;

namespace Orchestrator.Minion.Beacons.Builtin;

/// <summary>
/// Salt's <c>http_status</c> beacon: <c>sites: {name: {url, timeout, content_type, status: [{value, comp}],
/// content: [{path, value, comp}], max_latency_ms}}</c> fires one <c>{expected, received, url, path, site, attr, comp}</c>
/// event per failing check when a site starts failing (or fails differently), and <c>{site, url, recovered: True}</c> when it
/// passes again.
/// </summary>
/// <remarks>
/// A check passes when <c>received comp value</c> holds: <c>{value: 400, comp: '&lt;'}</c> wants a status below 400;
/// <c>search</c> looks for the regular expression <c>value</c> in what was received. <c>content</c> checks read the JSON body
/// at a colon-delimited <c>path</c> (<c>content_type: json</c>, the default) or the whole body as text
/// (<c>content_type: text</c>). <c>max_latency_ms</c> (ours, not Salt's) fails a site that answers slower than that. A request
/// that fails outright reports <c>{error, url, site, attr: request}</c>.
/// </remarks>
[Beacon("http_status")]
public sealed class HttpStatusBeacon(Func<HttpMessageHandler>? handlerFactory = null) : IBeacon
{
    private static readonly string[] Comparisons = ["==", "!=", "<", ">", "<=", ">=", "search"];

    public string Doc => "Fire when a URL's status, JSON content, body text or latency stops (or starts again) meeting its checks.";

    public IBeaconWatcher Create(BeaconConfig config)
    {
        var sites = config.RequireMap("sites");
        if (sites.Count == 0)
        {
            throw config.Error("sites", "names no site");
        }
        var parsed = sites.Select(s => ParseSite(config, s.Key, s.Value)).ToList();
        return new Watcher(parsed, new HttpClient(handlerFactory?.Invoke() ?? new SocketsHttpHandler(), disposeHandler: true)
        {
            Timeout = Timeout.InfiniteTimeSpan,
        });
    }

    private static Site ParseSite(BeaconConfig config, string name, object? value)
    {
        var key = $"sites:{name}";
        var settings = config.Map(value, key);
        if (!settings.TryGetValue("url", out var rawUrl) || rawUrl is null)
        {
            throw config.Error($"{key}:url", "is required");
        }
        var url = config.String(rawUrl, $"{key}:url");
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw config.Error($"{key}:url", $"must be an http or https URL, got '{url}'");
        }
        var timeout = settings.TryGetValue("timeout", out var t) && t is not null ? config.Number(t, $"{key}:timeout") : 30;
        if (timeout <= 0)
        {
            throw config.Error($"{key}:timeout", "must be a positive number of seconds");
        }
        var contentType = settings.TryGetValue("content_type", out var ct) && ct is not null ? config.String(ct, $"{key}:content_type") : "json";
        if (contentType is not ("json" or "text"))
        {
            throw config.Error($"{key}:content_type", $"must be json or text, got '{contentType}'");
        }
        double? maxLatency = null;
        if (settings.TryGetValue("max_latency_ms", out var latency) && latency is not null)
        {
            maxLatency = config.Number(latency, $"{key}:max_latency_ms");
            if (maxLatency <= 0)
            {
                throw config.Error($"{key}:max_latency_ms", "must be a positive number of milliseconds");
            }
        }
        var checks = new List<Check>();
        foreach (var attr in new[] { "status", "content" })
        {
            if (!settings.TryGetValue(attr, out var list) || list is null)
            {
                continue;
            }
            var items = config.List(list, $"{key}:{attr}");
            for (var i = 0; i < items.Count; i++)
            {
                var where = $"{key}:{attr}:{i}";
                var check = config.Map(items[i], where);
                if (!check.TryGetValue("value", out var expected))
                {
                    throw config.Error($"{where}:value", "is required");
                }
                var comp = check.TryGetValue("comp", out var c) && c is not null ? config.String(c, $"{where}:comp") : "==";
                if (!Comparisons.Contains(comp))
                {
                    throw config.Error($"{where}:comp", $"must be one of {string.Join(", ", Comparisons)}, got '{comp}'");
                }
                var pattern = comp == "search" ? config.Regex(PyText.Str(expected), $"{where}:value") : null;
                var path = check.TryGetValue("path", out var p) && p is not null ? config.String(p, $"{where}:path") : "";
                checks.Add(new Check(attr, path, comp, expected, pattern));
            }
        }
        return new Site(name, url, TimeSpan.FromSeconds(timeout), contentType, checks, maxLatency);
    }

    private sealed record Check(string Attr, string Path, string Comp, object? Expected, Regex? Pattern);

    private sealed record Site(string Name, string Url, TimeSpan Timeout, string ContentType, List<Check> Checks, double? MaxLatencyMs);

    private sealed class Watcher(List<Site> sites, HttpClient client) : IBeaconWatcher, IDisposable
    {
        private readonly Dictionary<string, string> _last = new(StringComparer.Ordinal);

        public async Task<IReadOnlyList<Dictionary<string, object?>>> PollAsync(BeaconContext context, CancellationToken cancellationToken)
        {
            var results = await Task.WhenAll(sites.Select(s => ProbeAsync(s, cancellationToken))).ConfigureAwait(false);
            var events = new List<Dictionary<string, object?>>();
            for (var i = 0; i < sites.Count; i++)
            {
                var (site, (failures, statusCode)) = (sites[i], results[i]);
                var signature = DataTree.ToJson(failures.Select(f => f.Signature).ToList(), indent: false);
                var known = _last.TryGetValue(site.Name, out var last);
                _last[site.Name] = signature;
                if (known ? last == signature : failures.Count == 0)
                {
                    continue;
                }
                if (failures.Count > 0)
                {
                    events.AddRange(failures.Select(f => f.Event));
                }
                else
                {
                    events.Add(new Dictionary<string, object?>(StringComparer.Ordinal)
                    {
                        ["site"] = site.Name, ["url"] = site.Url, ["recovered"] = true, ["status_code"] = statusCode,
                    });
                }
            }
            return events;
        }

        private async Task<(List<Failure> Failures, long? StatusCode)> ProbeAsync(Site site, CancellationToken cancellationToken)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(site.Timeout);
            var clock = Stopwatch.StartNew();
            long status;
            string body;
            try
            {
                using var response = await client.GetAsync(site.Url, timeout.Token).ConfigureAwait(false);
                status = (long)response.StatusCode;
                body = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                var error = e is OperationCanceledException ? $"no answer within {site.Timeout.TotalSeconds}s" : e.Message;
                return ([Failure.Of(site, "request", "", "", null, null, error)], null);
            }
            var latency = clock.Elapsed.TotalMilliseconds;
            var failures = new List<Failure>();
            object? json = null;
            var jsonError = (string?)null;
            if (site.ContentType == "json" && site.Checks.Any(c => c.Attr == "content"))
            {
                try
                {
                    json = DataTree.FromJson(body);
                }
                catch (Exception e) when (e is System.Text.Json.JsonException or ArgumentException)
                {
                    jsonError = $"the response is not JSON: {e.Message}";
                }
            }
            foreach (var check in site.Checks)
            {
                if (check.Attr == "content" && jsonError is not null)
                {
                    failures.Add(Failure.Of(site, check.Attr, check.Path, check.Comp, check.Expected, null, jsonError));
                    continue;
                }
                var received = check.Attr == "status" ? status
                    : site.ContentType == "text" ? body
                    : check.Path.Length == 0 ? json : ModuleContext.Traverse(json, check.Path);
                // As in Salt, a path that leads nowhere is not a failure.
                if (received is not null && !Holds(check, received))
                {
                    failures.Add(Failure.Of(site, check.Attr, check.Path, check.Comp, check.Expected, received, null));
                }
            }
            if (site.MaxLatencyMs is { } max && latency > max)
            {
                failures.Add(Failure.Of(site, "latency", "", ">", max, Math.Round(latency, 1), null));
            }
            return (failures, status);
        }

        private static bool Holds(Check check, object received)
        {
            if (check.Pattern is { } pattern)
            {
                return pattern.IsMatch(received as string ?? PyText.Str(received));
            }
            var order = Compare(received, check.Expected);
            return check.Comp switch
            {
                "==" => order == 0,
                "!=" => order != 0,
                "<" => order < 0,
                ">" => order > 0,
                "<=" => order <= 0,
                ">=" => order >= 0,
                _ => false,
            };
        }

        /// <summary>Numbers by value (a numeric string counts), strings by ordinal, anything else equal only when identical.</summary>
        private static int? Compare(object received, object? expected)
        {
            if (Number(received) is { } a && Number(expected) is { } b)
            {
                return a.CompareTo(b);
            }
            if (received is string s && expected is string t)
            {
                return string.CompareOrdinal(s, t);
            }
            return DataTree.ToJson(received, false) == DataTree.ToJson(expected, false) ? 0 : null;
        }

        private static double? Number(object? value) => value switch
        {
            long l => l,
            double d => d,
            string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => null,
        };

        public void Dispose() => client.Dispose();
    }

    private sealed record Failure(object? Signature, Dictionary<string, object?> Event)
    {
        public static Failure Of(Site site, string attr, string path, string comp, object? expected, object? received, string? error)
        {
            var data = new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["expected"] = expected, ["received"] = received, ["url"] = site.Url, ["path"] = path,
                ["site"] = site.Name, ["attr"] = attr, ["comp"] = comp,
            };
            if (error is not null)
            {
                data["error"] = error;
            }
            // Latency varies on every poll: only the fact that it is over the limit makes the state.
            var signature = new List<object?> { attr, path, comp, expected, attr == "latency" ? null : received, error };
            return new Failure(signature, data);
        }
    }
}
