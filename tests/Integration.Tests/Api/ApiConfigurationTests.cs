using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Orchestrator.Master.Events;
using Orchestrator.Master.ExternalAuth;
using Orchestrator.Testing;

namespace Orchestrator.Integration.Tests.Api;

/// <summary>
/// Scenario: masters with other rest_api settings: TLS with a self-signed certificate made here, CORS for one origin, the
/// login rate limit, webhooks (off, authenticated, unauthenticated), and a short token_expire.
/// </summary>
[Trait("Category", "Integration")]
[Collection("cluster")]
public sealed class ApiConfigurationTests
{
    [Fact]
    public async Task Tls_ServesHttpsWithTheConfiguredCertificate()
    {
        using var dir = new TempDir();
        var (crt, key, thumbprint) = SelfSigned(dir);
        string? seen = null;
        await using var api = await ApiCluster.StartAsync(o =>
        {
            o.DisableSsl = false;
            o.SslCrt = crt;
            o.SslKey = key;
        }, minions: false);
        using var https = new HttpClient(new SocketsHttpHandler
        {
            SslOptions =
            {
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                {
                    seen = certificate?.GetCertHashString(HashAlgorithmName.SHA256);
                    return seen == thumbprint;
                },
            },
        })
        { BaseAddress = api.Address };

        var login = await https.PostAsync("/login", new StringContent(
            "{\"username\": \"admin\", \"password\": \"adminpw\", \"eauth\": \"file\"}", System.Text.Encoding.UTF8, "application/json"));
        using var plain = new HttpClient { BaseAddress = new UriBuilder(api.Address) { Scheme = "http" }.Uri };

        Assert.Equal("https", api.Address.Scheme);
        Assert.Equal(thumbprint, seen);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.True(login.Headers.Contains("Strict-Transport-Security"));
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => plain.GetAsync("/login"));
    }

    private static (string Crt, string Key, string Thumbprint) SelfSigned(TempDir dir)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=orch-api-test", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var crt = dir.Combine("api.crt");
        var key = dir.Combine("api.key");
        File.WriteAllText(crt, certificate.ExportCertificatePem());
        File.WriteAllText(key, rsa.ExportPkcs8PrivateKeyPem());
        return (crt, key, certificate.GetCertHashString(HashAlgorithmName.SHA256));
    }

    [Fact]
    public async Task Cors_ConfiguredOrigin_GetsCorsHeaders_OthersDoNot()
    {
        await using var api = await ApiCluster.StartAsync(o => o.CorsOrigins = ["https://console.example"], minions: false);

        var allowed = await PreflightAsync(api, "https://console.example");
        var other = await PreflightAsync(api, "https://evil.example");

        Assert.Equal("https://console.example", allowed.Headers["Access-Control-Allow-Origin"]);
        Assert.Contains("X-Auth-Token", allowed.Headers["Access-Control-Allow-Headers"], StringComparison.OrdinalIgnoreCase);
        Assert.Equal("true", allowed.Headers["Access-Control-Allow-Credentials"]);
        Assert.False(other.Headers.ContainsKey("Access-Control-Allow-Origin"));
    }

    private static async Task<ApiResponse> PreflightAsync(ApiCluster api, string origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, "/");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "x-auth-token, content-type");
        return await api.SendAsync(request, null);
    }

    [Fact]
    public async Task LoginRateLimit_RefusesTheAttemptOverTheLimit_EvenWithTheRightPassword()
    {
        await using var api = await ApiCluster.StartAsync(o => o.LoginRateLimit = 3, minions: false);
        await api.LoginAsync("admin");
        await api.LoginFailsAsync("admin", "guess1");
        await api.LoginFailsAsync("admin", "guess2");

        var response = await api.PostAsync("/login", null, new Dictionary<string, object?> { ["username"] = "admin", ["password"] = "adminpw", ["eauth"] = "file" });

        Assert.Equal(HttpStatusCode.TooManyRequests, response.Status);
        Assert.True(int.Parse(response.Headers["Retry-After"]) is > 0 and <= 60);
        Assert.False(response.Headers.ContainsKey("X-Auth-Token"));
        Assert.Contains(api.Log.Lines, l => l.Contains("[1554]"));
    }

    [Fact]
    public async Task ChunkCredentialsOnRun_SpendTheSameBudget_AsLogin()
    {
        await using var api = await ApiCluster.StartAsync(o => o.LoginRateLimit = 2, minions: false);
        Dictionary<string, object?> Guess(string password) => new()
        {
            ["client"] = "runner", ["fun"] = "manage.status", ["username"] = "admin", ["password"] = password, ["eauth"] = "file",
        };
        var first = await api.PostAsync("/run", null, new List<object?> { Guess("guess1") });
        var second = await api.PostAsync("/run", null, new List<object?> { Guess("guess2") });

        var third = await api.PostAsync("/run", null, new List<object?> { Guess("adminpw") });

        Assert.Equal(HttpStatusCode.Unauthorized, first.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, second.Status);
        Assert.Equal(HttpStatusCode.TooManyRequests, third.Status);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await api.PostAsync("/login", null,
            new Dictionary<string, object?> { ["username"] = "admin", ["password"] = "adminpw", ["eauth"] = "file" })).Status);
    }

    [Fact]
    public async Task AnOversizedLoginBody_Is413_AndYamlBombsAreRefusedUnread()
    {
        await using var api = await ApiCluster.StartAsync(minions: false);

        var big = await api.PostAsync("/login", null, new Dictionary<string, object?>
        {
            ["username"] = "admin", ["password"] = new string('x', 100_000), ["eauth"] = "file",
        });
        var bomb = await api.PostAsync("/login", null, "a: &a [x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b]\n", "application/x-yaml");
        var deep = await api.PostAsync("/login", null, new string('[', 5000) + new string(']', 5000), "application/x-yaml");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, big.Status);
        Assert.Equal(HttpStatusCode.BadRequest, bomb.Status);
        Assert.Equal(HttpStatusCode.BadRequest, deep.Status);
        Assert.Contains("deeper than", deep.Text, StringComparison.Ordinal);
        // The master is still there.
        Assert.False(string.IsNullOrEmpty(await api.LoginAsync("admin")));
    }

    [Fact]
    public async Task PublisherAclBlacklist_RefusesItsFunctions_ThroughTheApiToo()
    {
        await using var api = await ApiCluster.StartAsync(master: o => o.Eauth = new Orchestrator.Master.ExternalAuth.EauthOptions
        {
            ExternalAuth = o.Eauth.ExternalAuth,
            File = o.Eauth.File,
            BlacklistModules = ["cmd.*"],
        });
        var token = await api.LoginAsync("admin");

        var refused = await api.PostAsync("/", token, new List<object?>
        {
            new Dictionary<string, object?> { ["client"] = "local", ["tgt"] = "web1", ["fun"] = "cmd.run", ["arg"] = new List<object?> { "id" } },
        });
        var allowed = await api.PostAsync("/", token, new List<object?>
        {
            new Dictionary<string, object?> { ["client"] = "local", ["tgt"] = "web1", ["fun"] = "test.ping" },
        });

        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        Assert.Contains(api.Log.Lines, l => l.Contains("publisher_acl_blacklist", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, allowed.Status);
    }

    [Fact]
    public async Task Webhooks_OffByDefault_404()
    {
        await using var api = await ApiCluster.StartAsync(minions: false);
        var token = await api.LoginAsync("admin");

        var response = await api.PostAsync("/hook/ci/build", token, new Dictionary<string, object?> { ["ok"] = true });

        Assert.Equal(HttpStatusCode.NotFound, response.Status);
    }

    [Fact]
    public async Task Webhooks_On_NeedAToken_AndFireTheHookEventWithoutIt()
    {
        await using var api = await ApiCluster.StartAsync(o => o.Webhooks = true, minions: false);
        var token = await api.LoginAsync("pinger");
        using var hooks = api.Cluster.MasterService<EventBus>().Subscribe(tag => tag.StartsWith("salt/netapi/hook", StringComparison.Ordinal));

        var anonymous = await api.PostAsync("/hook/ci/build", null, new Dictionary<string, object?> { ["ok"] = true });
        using var request = new HttpRequestMessage(HttpMethod.Post, "/hook/ci/build/success")
        {
            Content = new StringContent("{\"revision\": \"aa22a3c\", \"result\": true}", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-My-Secret", "s3cret");
        var fired = await api.SendAsync(request, token);
        var e = await TestCluster.WaitForEventAsync(hooks, "salt/netapi/hook/ci/build/success");

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.Status);
        Assert.Equal(HttpStatusCode.OK, fired.Status);
        Assert.Equal(true, fired.Body!["success"]);
        Assert.Equal("salt/netapi/hook/ci/build/success", e.Tag);
        Assert.Equal("aa22a3c", ((Dictionary<string, object?>)e.Data["post"]!)["revision"]);
        Assert.Equal("{\"revision\": \"aa22a3c\", \"result\": true}", e.Data["body"]);
        var headers = (Dictionary<string, object?>)e.Data["headers"]!;
        Assert.Equal("s3cret", headers["X-My-Secret"]);
        Assert.DoesNotContain(headers.Keys, k => k.Equals("X-Auth-Token", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(token, Shared.Data.DataTree.ToJson(e.Data), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Webhooks_DisableAuth_AcceptsWithoutAToken_ButOtherEndpointsStillNeedOne()
    {
        await using var api = await ApiCluster.StartAsync(o =>
        {
            o.Webhooks = true;
            o.WebhookDisableAuth = true;
        }, minions: false);
        using var hooks = api.Cluster.MasterService<EventBus>().Subscribe(tag => tag.StartsWith("salt/netapi/hook", StringComparison.Ordinal));

        var fired = await api.PostAsync("/hook/travis", null, "branch=main&commit=abc", "application/x-www-form-urlencoded");
        var e = await TestCluster.WaitForEventAsync(hooks, "salt/netapi/hook/travis");

        Assert.Equal(HttpStatusCode.OK, fired.Status);
        Assert.Equal("main", ((Dictionary<string, object?>)e.Data["post"]!)["branch"]);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("/minions", null)).Status);
    }

    [Fact]
    public async Task ExpiredToken_Is401()
    {
        await using var api = await ApiCluster.StartAsync(minions: false, master: o => o.Eauth = new EauthOptions
        {
            ExternalAuth = o.Eauth.ExternalAuth,
            File = o.Eauth.File,
            TokenExpire = 2,
        });
        var login = await api.PostAsync("/login", null, new Dictionary<string, object?> { ["username"] = "admin", ["password"] = "adminpw", ["eauth"] = "file" });
        var token = (string)login.First["token"]!;

        await Poll.UntilAsync(async () => (await api.GetAsync("/", token)).Status == HttpStatusCode.Unauthorized, "the token to expire");

        Assert.Equal(2.0, (double)login.First["expire"]! - (double)login.First["start"]!, 3);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("/events", token)).Status);
    }
}
