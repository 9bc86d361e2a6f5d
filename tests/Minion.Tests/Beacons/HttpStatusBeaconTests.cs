using System.Net;
using Orchestrator.Minion.Beacons.Builtin;
using static Orchestrator.Minion.Tests.Beacons.BeaconTesting;

namespace Orchestrator.Minion.Tests.Beacons;

public sealed class HttpStatusBeaconTests
{
    private readonly FakeHttpHandler _http = new();

    private HttpStatusBeacon Beacon => new(() => _http);

    private const string StatusCheck = """
        - sites:
            web:
              url: http://app.example/health
              status:
                - value: 400
                  comp: '<'
        """;

    [Fact]
    public void StatusCheck_FiresWhenItStartsFailing_NotWhileItKeepsFailing_AndOnRecovery()
    {
        var watcher = Create(Beacon, StatusCheck);
        var healthy = Poll(watcher);
        _http.Status = HttpStatusCode.InternalServerError;
        var failing = Assert.Single(Poll(watcher));
        var stillFailing = Poll(watcher);
        _http.Status = HttpStatusCode.OK;
        var recovered = Assert.Single(Poll(watcher));

        Assert.Empty(healthy);
        Assert.Equal(400L, failing["expected"]);
        Assert.Equal(500L, failing["received"]);
        Assert.Equal("http://app.example/health", failing["url"]);
        Assert.Equal("", failing["path"]);
        Assert.Equal("web", failing["site"]);
        Assert.Equal("status", failing["attr"]);
        Assert.Empty(stillFailing);
        Assert.Equal(true, recovered["recovered"]);
        Assert.Equal(200L, recovered["status_code"]);
    }

    [Fact]
    public void ADifferentFailure_FiresAgain()
    {
        var watcher = Create(Beacon, StatusCheck);
        _http.Status = HttpStatusCode.InternalServerError;
        Poll(watcher);

        _http.Status = HttpStatusCode.ServiceUnavailable;

        Assert.Equal(503L, Assert.Single(Poll(watcher))["received"]);
    }

    [Fact]
    public void FailingAtStart_FiresOnTheFirstPoll()
    {
        _http.Status = HttpStatusCode.NotFound;

        Assert.Single(Poll(Create(Beacon, StatusCheck)));
    }

    [Fact]
    public void JsonContent_IsCheckedAtItsColonPath()
    {
        _http.Body = """{"certificate": {"status": "up"}, "db": "up"}""";
        var watcher = Create(Beacon, """
            - sites:
                api:
                  url: https://api.example/status
                  content:
                    - path: 'certificate:status'
                      value: up
                      comp: '=='
                    - path: 'missing:key'
                      value: up
            """);
        Assert.Empty(Poll(watcher));

        _http.Body = """{"certificate": {"status": "down"}}""";
        var failing = Assert.Single(Poll(watcher));

        Assert.Equal("certificate:status", failing["path"]);
        Assert.Equal("up", failing["expected"]);
        Assert.Equal("down", failing["received"]);
    }

    [Fact]
    public void NotJson_IsAFailureNamingWhy()
    {
        _http.Body = "<html>oops</html>";
        var watcher = Create(Beacon, "- sites: {api: {url: 'http://a.example/', content: [{path: status, value: ok}]}}");

        Assert.StartsWith("the response is not JSON", (string)Assert.Single(Poll(watcher))["error"]!);
    }

    [Fact]
    public void TextContent_SearchesTheBodyWithARegex()
    {
        _http.Body = "status: all good";
        var watcher = Create(Beacon, "- sites: {page: {url: 'http://a.example/', content_type: text, content: [{value: 'all (good|fine)', comp: search}]}}");
        Assert.Empty(Poll(watcher));

        _http.Body = "status: degraded";

        Assert.Equal("search", Assert.Single(Poll(watcher))["comp"]);
    }

    [Fact]
    public void MaxLatency_FailsSlowerAnswers()
    {
        var watcher = Create(Beacon, "- sites: {web: {url: 'http://a.example/', max_latency_ms: 0.000001}}");

        var slow = Assert.Single(Poll(watcher));
        var again = Poll(watcher);

        Assert.Equal("latency", slow["attr"]);
        Assert.Empty(again);
    }

    [Fact]
    public void RequestFailure_IsReportedOnceWithTheError()
    {
        _http.Refuse = true;
        var watcher = Create(Beacon, StatusCheck);

        var failed = Assert.Single(Poll(watcher));
        var again = Poll(watcher);

        Assert.Equal("request", failed["attr"]);
        Assert.Contains("Connection refused", (string)failed["error"]!);
        Assert.Empty(again);
    }

    [Theory]
    [InlineData("- sites: {web: {status: [{value: 200}]}}", "'sites:web:url' is required")]
    [InlineData("- sites: {web: {url: 'ftp://x/'}}", "'sites:web:url' must be an http or https URL")]
    [InlineData("- sites: {web: {url: 'http://x/', status: [{value: 200, comp: '=~'}]}}", "'sites:web:status:0:comp' must be one of")]
    [InlineData("- sites: {web: {url: 'http://x/', status: [{comp: '=='}]}}", "'sites:web:status:0:value' is required")]
    [InlineData("- sites: {web: {url: 'http://x/', content_type: xml}}", "'sites:web:content_type' must be json or text")]
    public void BadConfig_NamesTheSiteAndKey(string yaml, string expected)
    {
        var message = ConfigError(Beacon, yaml);

        Assert.StartsWith("beacon 'http_status': ", message);
        Assert.Contains(expected, message);
    }
}
