using System.Net;
using System.Text.RegularExpressions;
using Orchestrator.Master.WebConsole;

namespace Orchestrator.Integration.Tests.Console;

/// <summary>
/// The console's files as Kestrel serves them from orch-master's embedded resources: the shell for every page URL (deep
/// links), the files with their types, the security headers on every /ui answer, 404 for a missing file, and no way out
/// of the embedded table.
/// </summary>
[Trait("Category", "Integration")]
[Collection("cluster")]
public sealed partial class ConsoleStaticTests
{
    [GeneratedRegex("""(?:src|href)="(/ui/assets/[^"]+)"|from '(\.{1,2}/[^']+)'""")]
    private static partial Regex References();

    private static void AssertSecurityHeaders(HttpResponseMessage response)
    {
        Assert.Equal(ConsoleHeaders.ContentSecurityPolicy, string.Join(",", response.Headers.GetValues("Content-Security-Policy")));
        Assert.Contains("script-src 'self'", ConsoleHeaders.ContentSecurityPolicy);
        Assert.DoesNotContain("unsafe-inline", ConsoleHeaders.ContentSecurityPolicy);
        Assert.Equal("DENY", string.Join(",", response.Headers.GetValues("X-Frame-Options")));
        Assert.Equal("nosniff", string.Join(",", response.Headers.GetValues("X-Content-Type-Options")));
    }

    [Theory]
    [InlineData("/ui")]
    [InlineData("/ui/")]
    [InlineData("/ui/jobs/20240101120000123456")]
    [InlineData("/ui/minions/web1")]
    [InlineData("/ui/events?tag=salt/job/*")]
    public async Task PageUrl_GetsTheShellWithSecurityHeaders(string path)
    {
        await using var host = await ConsoleHost.StartAsync();
        using var http = new HttpClient { BaseAddress = host.Address };
        using var response = await http.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        AssertSecurityHeaders(response);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<script type=\"module\" src=\"/ui/assets/app.js\"></script>", html);
        Assert.DoesNotMatch("<script(?![^>]*src=)", html);
    }

    [Fact]
    public async Task EveryReferencedFile_IsServedWithItsType()
    {
        await using var host = await ConsoleHost.StartAsync();
        using var http = new HttpClient { BaseAddress = host.Address };
        var pending = new Queue<string>(["/ui/"]);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (pending.TryDequeue(out var path))
        {
            if (!seen.Add(path))
            {
                continue;
            }
            using var response = await http.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {response.StatusCode}");
            AssertSecurityHeaders(response);
            var type = response.Content.Headers.ContentType?.MediaType;
            var expected = Path.GetExtension(path) switch { ".js" => "text/javascript", ".css" => "text/css", ".svg" => "image/svg+xml", _ => "text/html" };
            Assert.Equal(expected, type);
            var text = await response.Content.ReadAsStringAsync();
            Assert.DoesNotContain("innerHTML", text.Replace("Nothing here sets innerHTML", string.Empty));
            foreach (Match match in References().Matches(text))
            {
                var next = match.Groups[1].Success ? match.Groups[1].Value : new Uri(new Uri("http://x" + path), match.Groups[2].Value).AbsolutePath;
                pending.Enqueue(next);
            }
        }
        Assert.Contains("/ui/assets/pages/job.js", seen);
        Assert.Contains("/ui/assets/graph.js", seen);
        Assert.True(seen.Count >= 14, $"only {seen.Count} files reached: {string.Join(", ", seen)}");
    }

    [Theory]
    [InlineData("/ui/assets/nothere.js")]
    [InlineData("/ui/assets/../../../etc/passwd")]
    [InlineData("/ui/assets/%2e%2e/%2e%2e/etc/passwd")]
    [InlineData("/ui/assets/..%2f..%2fMaster.csproj")]
    [InlineData("/ui/assets/pages/../../index.html/../../../../etc/passwd")]
    public async Task MissingOrTraversingFile_Is404AndServesNothingElse(string path)
    {
        await using var host = await ConsoleHost.StartAsync();
        using var http = new HttpClient { BaseAddress = host.Address };
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("root:", body);
        Assert.DoesNotContain("<Project", body);
        if (response.RequestMessage!.RequestUri!.AbsolutePath.StartsWith("/ui/assets/", StringComparison.Ordinal))
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            AssertSecurityHeaders(response);
        }
        else
        {
            // The client collapsed the dot segments: the path left /ui/assets/ and is not a console file at all.
            Assert.True(response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.OK, $"{path}: {response.StatusCode}");
            Assert.DoesNotContain("text/javascript", response.Content.Headers.ContentType?.ToString() ?? string.Empty);
        }
    }

    [Fact]
    public async Task File_RevalidatesByETag()
    {
        await using var host = await ConsoleHost.StartAsync();
        using var http = new HttpClient { BaseAddress = host.Address };
        using var first = await http.GetAsync("/ui/assets/app.js");
        var etag = first.Headers.ETag;
        Assert.NotNull(etag);
        Assert.Equal("no-cache", first.Headers.CacheControl?.ToString());
        using var again = new HttpRequestMessage(HttpMethod.Get, "/ui/assets/app.js");
        again.Headers.IfNoneMatch.Add(etag);
        using var second = await http.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        AssertSecurityHeaders(second);
    }

    [Fact]
    public async Task PostToTheConsole_IsNotServed()
    {
        await using var host = await ConsoleHost.StartAsync();
        using var http = new HttpClient { BaseAddress = host.Address };
        using var response = await http.PostAsync("/ui/jobs", new StringContent("x"));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }
}
