using System.Net;
using Microsoft.Data.Sqlite;
using Orchestrator.Master.Jobs;
using Orchestrator.Master.Keys;
using Orchestrator.Shared.Data;

namespace Orchestrator.Integration.Tests.Api;

/// <summary>
/// Scenario: the API attacked. Without a valid token (missing, forged, malformed) every endpoint but /login answers 401; an
/// ACL denial is a 403 logged with user, target and function; Salt's salt-api CVE classes are tried: eauth bypass through
/// wheel_async/runner_async/wheel (CVE-2021-25281) and the ssh client (CVE-2020-25592), path traversal through wheel key
/// functions (CVE-2021-25282), template injection in arguments (CVE-2021-25283), shell injection through the target and
/// arguments (CVE-2021-3197), and credentials in logs or the job cache (CVE-2021-25284).
/// </summary>
[Trait("Category", "Integration")]
[Collection("cluster")]
public sealed class ApiSecurityTests(ApiClusterFixture fixture) : IClassFixture<ApiClusterFixture>
{
    private ApiCluster Api => fixture.Api;

    public static TheoryData<string, string> Endpoints => new()
    {
        { "GET", "/" },
        { "POST", "/" },
        { "GET", "/minions" },
        { "GET", "/minions/web1" },
        { "POST", "/minions" },
        { "GET", "/jobs" },
        { "GET", "/jobs/20260101000000000000" },
        { "GET", "/keys" },
        { "GET", "/keys/web1" },
        { "GET", "/events" },
        { "GET", "/ws" },
        { "POST", "/logout" },
    };

    private Task<ApiResponse> CallAsync(string method, string path, string? token) => method == "GET"
        ? Api.GetAsync(path, token)
        : Api.PostAsync(path, token, new List<object?> { new Dictionary<string, object?> { ["client"] = "local", ["tgt"] = "*", ["fun"] = "test.ping" } });

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task NoToken_Is401(string method, string path)
    {
        var response = await CallAsync(method, path, null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task ForgedToken_Is401(string method, string path)
    {
        var forged = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

        var response = await CallAsync(method, path, forged);

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
    }

    [Theory]
    [InlineData("../../../../etc/passwd")]
    [InlineData("' OR 1=1 --")]
    [InlineData("0")]
    public async Task MalformedToken_Is401(string token)
    {
        var response = await Api.GetAsync("/minions", token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
    }

    [Fact]
    public async Task EventsQueryToken_Forged_Is401()
    {
        var response = await Api.GetAsync("/events?token=" + new string('a', 64), null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
    }

    [Fact]
    public async Task AclDeny_Is403_AndLoggedWithUserTargetAndFunction()
    {
        var token = await Api.LoginAsync("webops");

        var denied = await Api.PostAsync("/", token, new List<object?> { Local("db1", "test.ping") });
        var allowed = await Api.PostAsync("/", token, new List<object?> { Local("web*", "test.ping") });

        Assert.Equal(HttpStatusCode.Forbidden, denied.Status);
        Assert.Contains("webops", (string)denied.Body!["return"]!);
        Assert.Contains(Api.Log.Lines, l => l.Contains("[1557]") && l.Contains("User=webops") && l.Contains("Target=db1") && l.Contains("Fun=test.ping"));
        Assert.Equal(HttpStatusCode.OK, allowed.Status);
        Assert.Equal(["web1", "web2"], allowed.First.Keys.Order());
    }

    [Fact]
    public async Task AclDeny_FunctionOutsideThePermissions_Is403_AndNothingRuns()
    {
        var token = await Api.LoginAsync("pinger");
        var marker = Path.Combine(Api.Cluster.Root.Path, "pinger-ran");

        var response = await Api.PostAsync("/", token, new List<object?> { Local("*", "cmd.run", $"touch {marker}") });

        Assert.Equal(HttpStatusCode.Forbidden, response.Status);
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public async Task AclDeny_OneChunkOfMany_RunsNoneOfThem()
    {
        var token = await Api.LoginAsync("pinger");
        var before = Api.Cluster.MasterService<IJobCache>().ListJobs().Count;

        var response = await Api.PostAsync("/", token, new List<object?> { Local("*", "test.ping"), Local("*", "test.echo", "no") });

        Assert.Equal(HttpStatusCode.Forbidden, response.Status);
        Assert.Equal(before, Api.Cluster.MasterService<IJobCache>().ListJobs().Count);
    }

    [Fact]
    public async Task UserWithoutRights_CanReadNothing()
    {
        var token = await Api.LoginAsync("nobody");

        Assert.Equal(HttpStatusCode.Forbidden, (await Api.GetAsync("/minions", token)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await Api.GetAsync("/jobs", token)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await Api.GetAsync("/keys", token)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await Api.PostAsync("/minions", token, Local("*", "test.ping"))).Status);
    }

    [Theory]
    [InlineData("wheel_async", "key.delete")]
    [InlineData("wheel", "key.delete")]
    [InlineData("wheel_async", "key.reject")]
    [InlineData("runner_async", "manage.up")]
    [InlineData("runner", "manage.up")]
    public async Task Cve2021_25281_MasterClientsWithoutTheRight_Are403_AndTheKeyStays(string client, string fun)
    {
        var token = await Api.LoginAsync("webops");
        var chunk = new Dictionary<string, object?> { ["client"] = client, ["fun"] = fun, ["match"] = "web2" };

        var response = await Api.PostAsync("/", token, new List<object?> { chunk });

        Assert.Equal(HttpStatusCode.Forbidden, response.Status);
        Assert.Contains("web2", Api.Cluster.MasterService<KeyStore>().List(KeyState.Accepted));
    }

    [Fact]
    public async Task Cve2021_25281_RunWithBadCredentials_Is401_AndNothingRuns()
    {
        var chunk = new Dictionary<string, object?>
        {
            ["client"] = "wheel_async", ["fun"] = "key.delete", ["match"] = "web2", ["username"] = "admin", ["password"] = "guess", ["eauth"] = "file",
        };

        var response = await Api.PostAsync("/run", null, new List<object?> { chunk });

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
        Assert.Contains("web2", Api.Cluster.MasterService<KeyStore>().List(KeyState.Accepted));
    }

    [Fact]
    public async Task Cve2021_25281_RunWithoutAnyCredentials_Is401()
    {
        var response = await Api.PostAsync("/run", null, new List<object?> { new Dictionary<string, object?> { ["client"] = "wheel", ["fun"] = "key.list_all" } });

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
    }

    [Fact]
    public async Task Cve2020_25592_SshClient_Is400_WithATokenOrWithout()
    {
        var ssh = new Dictionary<string, object?> { ["client"] = "ssh", ["tgt"] = "*", ["fun"] = "test.ping" };
        var sshWithCreds = new Dictionary<string, object?>(ssh) { ["username"] = "x", ["password"] = "y", ["eauth"] = "file" };

        var withToken = await Api.PostAsync("/", fixture.AdminToken, new List<object?> { ssh });
        var run = await Api.PostAsync("/run", null, new List<object?> { sshWithCreds });

        Assert.Equal(HttpStatusCode.BadRequest, withToken.Status);
        Assert.Equal("Invalid client specified: 'ssh'", withToken.Body!["return"]);
        Assert.Equal(HttpStatusCode.BadRequest, run.Status);
    }

    [Theory]
    [InlineData("key.delete")]
    [InlineData("key.accept")]
    [InlineData("key.reject")]
    public async Task Cve2021_25282_PathTraversalThroughWheelKeyNames_TouchesNoFile(string fun)
    {
        // A file beside the pki dir, and one where a traversal from the pending folder would land.
        var pki = Api.Cluster.MasterOptions.PkiDir;
        var victim = Path.Combine(Path.GetDirectoryName(pki)!, "victim");
        await File.WriteAllTextAsync(victim, "keep me");
        var chunk = new Dictionary<string, object?>
        {
            ["client"] = "wheel", ["fun"] = fun, ["match"] = "../../victim", ["include_accepted"] = true, ["include_rejected"] = true,
        };

        var response = await Api.RunAsync(fixture.AdminToken, chunk);

        var data = (Dictionary<string, object?>)((Dictionary<string, object?>)response!)["data"]!;
        Assert.Equal("keep me", await File.ReadAllTextAsync(victim));
        Assert.DoesNotContain("victim", DataTree.ToJson(data["return"]));
        Assert.Equal(["db1", "web1", "web2"], Api.Cluster.MasterService<KeyStore>().List(KeyState.Accepted).Order());
    }

    [Fact]
    public async Task Cve2021_25282_PathTraversalThroughKeysUrl_FindsNothing()
    {
        var response = await Api.GetAsync("/keys/..%2F..%2F..%2Fetc%2Fpasswd", fixture.AdminToken);

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Empty((Dictionary<string, object?>)response.Body!["return"]!);
    }

    [Fact]
    public async Task Cve2021_25282_UnknownWheelFunction_FailsWithoutRunningAnything()
    {
        var chunk = new Dictionary<string, object?> { ["client"] = "wheel", ["fun"] = "file_roots.write", ["path"] = "../../etc/x", ["data"] = "pwn" };

        var response = (Dictionary<string, object?>)(await Api.RunAsync(fixture.AdminToken, chunk))!;

        var data = (Dictionary<string, object?>)response["data"]!;
        Assert.Equal(false, data["success"]);
        Assert.Contains("not available", (string)data["return"]!);
    }

    [Fact]
    public async Task Cve2021_25283_TemplateInArguments_ReachesTheMinionUnrendered()
    {
        var json = (Dictionary<string, object?>)(await Api.RunAsync(fixture.AdminToken, Local("web1", "test.echo", "{{ 7*7 }}")))!;
        var form = await Api.PostAsync("/", fixture.AdminToken, "client=local&tgt=web1&fun=test.echo&arg=%7B%7B+7*7+%7D%7D", "application/x-www-form-urlencoded");
        var jinjaStatement = (Dictionary<string, object?>)(await Api.RunAsync(fixture.AdminToken, Local("web1", "test.echo", "{% for x in range(3) %}x{% endfor %}")))!;

        Assert.Equal("{{ 7*7 }}", json["web1"]);
        Assert.Equal("{{ 7*7 }}", form.First["web1"]);
        Assert.Equal("{% for x in range(3) %}x{% endfor %}", jinjaStatement["web1"]);
    }

    [Fact]
    public async Task Cve2021_3197_ShellInTheTarget_IsANonMatchingTarget()
    {
        var marker = Path.Combine(Api.Cluster.Root.Path, "pwn-target");

        var result = (Dictionary<string, object?>)(await Api.RunAsync(fixture.AdminToken, Local($"x; touch {marker}", "test.ping")))!;
        var list = new Dictionary<string, object?>(Local($"web1,$(touch {marker})", "test.ping")) { ["tgt_type"] = "list" };
        var listResult = (Dictionary<string, object?>)(await Api.RunAsync(fixture.AdminToken, list))!;

        Assert.Empty(result);
        Assert.Equal(["web1"], listResult.Keys);
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public async Task Cve2021_3197_ShellInAnArgument_IsJustText()
    {
        var marker = Path.Combine(Api.Cluster.Root.Path, "pwn-arg");
        var text = $"$(touch {marker}); `touch {marker}`";

        var result = (Dictionary<string, object?>)(await Api.RunAsync(fixture.AdminToken, Local("web1", "test.echo", text)))!;

        Assert.Equal(text, result["web1"]);
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public async Task Cve2021_25284_PasswordsAndTokens_NeverInTheLogOrTheJobCache()
    {
        const string Good = "webopspw";
        const string Wrong = "Wr0ng-Pa55word-Canary";
        var token = await Api.LoginAsync("webops", Good);
        await Api.LoginFailsAsync("webops", Wrong);
        var chunk = new Dictionary<string, object?>(Local("web1", "test.ping")) { ["username"] = "webops", ["password"] = Good, ["eauth"] = "file" };
        var denied = new Dictionary<string, object?>(Local("db1", "test.ping")) { ["username"] = "webops", ["password"] = Good, ["eauth"] = "file" };
        var runner = new Dictionary<string, object?> { ["client"] = "runner", ["fun"] = "manage.up", ["username"] = "admin", ["password"] = "adminpw", ["eauth"] = "file" };
        Assert.Equal(HttpStatusCode.OK, (await Api.PostAsync("/run", null, new List<object?> { chunk, runner })).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await Api.PostAsync("/run", null, new List<object?> { denied })).Status);
        Assert.Equal(HttpStatusCode.OK, (await Api.PostAsync("/", token, new List<object?> { Local("web1", "test.ping") })).Status);

        var log = Api.Log.Text;
        var cache = string.Join("\n", ReadAll(Path.Combine(Api.Cluster.MasterOptions.CacheDir, "jobs.sqlite")));

        Assert.Contains("webops", log);
        foreach (var secret in new[] { Good, Wrong, "adminpw", token, fixture.AdminToken })
        {
            Assert.DoesNotContain(secret, log, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, cache, StringComparison.Ordinal);
        }
    }

    private static IEnumerable<string> ReadAll(string database)
    {
        using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
        connection.Open();
        var tables = new List<string>();
        using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table'";
            using var reader = list.ExecuteReader();
            while (reader.Read())
            {
                tables.Add(reader.GetString(0));
            }
        }
        foreach (var table in tables)
        {
            using var select = connection.CreateCommand();
            select.CommandText = $"SELECT * FROM \"{table}\"";
            using var reader = select.ExecuteReader();
            while (reader.Read())
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    yield return reader.GetValue(i) switch
                    {
                        byte[] bytes => System.Text.Encoding.UTF8.GetString(bytes),
                        var value => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "",
                    };
                }
            }
        }
    }

    [Fact]
    public async Task Cors_OffByDefault_NoCorsHeaders()
    {
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/");
        preflight.Headers.Add("Origin", "https://evil.example");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        var options = await Api.SendAsync(preflight, null);
        using var simple = new HttpRequestMessage(HttpMethod.Get, "/minions");
        simple.Headers.Add("Origin", "https://evil.example");
        var get = await Api.SendAsync(simple, fixture.AdminToken);

        Assert.False(options.Headers.ContainsKey("Access-Control-Allow-Origin"));
        Assert.False(get.Headers.ContainsKey("Access-Control-Allow-Origin"));
        Assert.Equal(HttpStatusCode.OK, get.Status);
    }

    private static Dictionary<string, object?> Local(string tgt, string fun, params object?[] args) => new(StringComparer.Ordinal)
    {
        ["client"] = "local",
        ["tgt"] = tgt,
        ["fun"] = fun,
        ["arg"] = args.ToList(),
    };
}
