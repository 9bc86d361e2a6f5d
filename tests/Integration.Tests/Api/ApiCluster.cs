using System.Net.Http.Headers;
using System.Text;
using Orchestrator.Master.Api;
using Orchestrator.Master.ExternalAuth;
using Orchestrator.Master.Hosting;
using Orchestrator.Shared.Data;
using Orchestrator.Testing;

namespace Orchestrator.Integration.Tests.Api;

/// <summary>
/// A real master with <c>rest_api</c> on a loopback port the OS picks, the <c>file</c> eauth with four users, real minions
/// web1, web2 and db1, and an HttpClient on the API. Users (password = name + "pw"): <c>admin</c> (everything),
/// <c>webops</c> (<c>test.*</c> and <c>grains.*</c> on <c>web*</c> only), <c>pinger</c> (<c>test.ping</c> anywhere), and
/// <c>nobody</c> (authenticates, has no rights).
/// </summary>
public sealed class ApiCluster : IAsyncDisposable
{
    private ApiCluster(TestCluster cluster, CapturedLog log, HttpClient http)
    {
        Cluster = cluster;
        Log = log;
        Http = http;
    }

    public TestCluster Cluster { get; }

    public CapturedLog Log { get; }

    public HttpClient Http { get; }

    public Uri Address => Cluster.MasterService<ApiHost>().Address!;

    public static async Task<ApiCluster> StartAsync(Action<ApiOptions>? api = null, bool minions = true, Action<MasterOptions>? master = null)
    {
        var log = new CapturedLog();
        var cluster = await TestCluster.StartAsync(o =>
        {
            var file = o.CacheDir + ".users";
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllText(file, "admin:adminpw\nwebops:webopspw\npinger:pingerpw\nnobody:nobodypw\n");
            o.Eauth = new EauthOptions
            {
                ExternalAuth = new(StringComparer.Ordinal)
                {
                    ["file"] = new(StringComparer.Ordinal)
                    {
                        ["admin"] = [".*", "@runner", "@wheel", "@jobs"],
                        ["webops"] = [Map("web*", new List<object?> { "test.*", "grains.*" })],
                        ["pinger"] = ["test.ping"],
                        ["nobody"] = [],
                    },
                },
                File = new FileEauthOptions { Filename = file },
            };
            var options = new ApiOptions { Port = 0, Host = "127.0.0.1", DisableSsl = true, LoginRateLimit = 1000 };
            api?.Invoke(options);
            o.RestApi = options;
            master?.Invoke(o);
        }, log.AddTo);
        if (minions)
        {
            await cluster.AddMinionAsync("web1");
            await cluster.AddMinionAsync("web2");
            await cluster.AddMinionAsync("db1");
        }
        var address = cluster.MasterService<ApiHost>().Address!;
        var http = new HttpClient(new SocketsHttpHandler
        {
            UseCookies = false,
            SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true },
        })
        {
            BaseAddress = address,
            Timeout = TimeSpan.FromSeconds(60),
        };
        return new ApiCluster(cluster, log, http);
    }

    public static Dictionary<string, object?> Map(string key, object? value) => new(StringComparer.Ordinal) { [key] = value };

    /// <summary>Logs in and returns the token.</summary>
    public async Task<string> LoginAsync(string user, string? password = null)
    {
        var response = await PostAsync("/login", null, new Dictionary<string, object?>
        {
            ["username"] = user,
            ["password"] = password ?? user + "pw",
            ["eauth"] = "file",
        });
        Assert.Equal(200, (int)response.Status);
        return (string)((Dictionary<string, object?>)((List<object?>)response.Body!["return"]!)[0]!)["token"]!;
    }

    /// <summary>A login that must be refused.</summary>
    public async Task LoginFailsAsync(string user, string password)
    {
        var response = await PostAsync("/login", null, new Dictionary<string, object?> { ["username"] = user, ["password"] = password, ["eauth"] = "file" });
        Assert.Equal(401, (int)response.Status);
    }

    public async Task<ApiResponse> PostAsync(string path, string? token, object? body, string contentType = "application/json", string? accept = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(
                body is string text ? text : DataTree.ToJson(body, indent: false), Encoding.UTF8, contentType),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return await SendAsync(request, token, accept);
    }

    public async Task<ApiResponse> GetAsync(string path, string? token, string? accept = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        return await SendAsync(request, token, accept);
    }

    /// <summary>POST / with one chunk; returns the chunk's entry of "return".</summary>
    public async Task<object?> RunAsync(string token, Dictionary<string, object?> chunk)
    {
        var response = await PostAsync("/", token, new List<object?> { chunk });
        Assert.True(response.Status == System.Net.HttpStatusCode.OK, $"POST / answered {(int)response.Status}: {response.Text}");
        return ((List<object?>)response.Body!["return"]!)[0];
    }

    public async Task<ApiResponse> SendAsync(HttpRequestMessage request, string? token, string? accept = null)
    {
        if (token is not null)
        {
            request.Headers.Add("X-Auth-Token", token);
        }
        request.Headers.Accept.ParseAdd(accept ?? "application/json");
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var json = response.Content.Headers.ContentType?.MediaType == "application/json" && text.Length > 0
            ? DataTree.FromJson(text) as Dictionary<string, object?>
            : null;
        return new ApiResponse(response.StatusCode, text, json, response.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase),
            response.Content.Headers.ContentType?.MediaType);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Cluster.DisposeAsync();
    }
}
