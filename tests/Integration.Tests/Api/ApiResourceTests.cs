using System.Net;
using Orchestrator.Testing;

namespace Orchestrator.Integration.Tests.Api;

/// <summary>
/// Scenario: the same cluster read through salt-api's convenience URLs: /minions (grains), POST /minions (an async job
/// with links), /jobs and /jobs/{jid}, /keys and /keys/{id}, and login/logout.
/// </summary>
[Trait("Category", "Integration")]
[Collection("cluster")]
public sealed class ApiResourceTests(ApiClusterFixture fixture) : IClassFixture<ApiClusterFixture>
{
    private ApiCluster Api => fixture.Api;

    private string Token => fixture.AdminToken;

    [Fact]
    public async Task GetMinions_EveryMinionsGrains()
    {
        var response = await Api.GetAsync("/minions", Token);

        Assert.Equal(HttpStatusCode.OK, response.Status);
        var minions = response.First;
        Assert.Equal(["db1", "web1", "web2"], minions.Keys.Order());
        Assert.Equal("web1", ((Dictionary<string, object?>)minions["web1"]!)["id"]);
    }

    [Fact]
    public async Task GetMinion_OnlyThatMinion()
    {
        var response = await Api.GetAsync("/minions/web2", Token);

        Assert.Equal(["web2"], response.First.Keys);
    }

    [Fact]
    public async Task PostMinions_StartsAnAsyncJob_202WithALinkToIt()
    {
        var response = await Api.PostAsync("/minions", Token, new List<object?> { new Dictionary<string, object?> { ["tgt"] = "db1", ["fun"] = "test.ping" } });

        Assert.Equal(HttpStatusCode.Accepted, response.Status);
        var jid = (string)response.First["jid"]!;
        Assert.Equal(["db1"], (List<object?>)response.First["minions"]!);
        var links = (List<object?>)((Dictionary<string, object?>)response.Body!["_links"]!)["jobs"]!;
        Assert.Equal($"/jobs/{jid}", ((Dictionary<string, object?>)links.Single()!)["href"]);
    }

    [Fact]
    public async Task Jobs_ListAndOne_WithInfoAndReturn()
    {
        var started = await Api.PostAsync("/minions", Token, new Dictionary<string, object?> { ["tgt"] = "web1", ["fun"] = "test.echo", ["arg"] = "hello" });
        var jid = (string)started.First["jid"]!;
        await Poll.UntilAsync(async () => (await Api.GetAsync($"/jobs/{jid}", Token)).Return[0] is Dictionary<string, object?> { Count: 1 }, $"the return of {jid}");

        var list = await Api.GetAsync("/jobs", Token);
        var one = await Api.GetAsync($"/jobs/{jid}", Token);

        var listed = (Dictionary<string, object?>)list.First[jid]!;
        Assert.Equal("test.echo", listed["Function"]);
        Assert.Equal("admin", listed["User"]);
        var info = (Dictionary<string, object?>)((List<object?>)one.Body!["info"]!)[0]!;
        Assert.Equal(jid, info["jid"]);
        Assert.Equal(["hello"], (List<object?>)info["Arguments"]!);
        Assert.Equal("hello", ((Dictionary<string, object?>)((Dictionary<string, object?>)info["Result"]!)["web1"]!)["return"]);
        Assert.Equal("hello", one.First["web1"]);
    }

    [Fact]
    public async Task Job_Unknown_Is404()
    {
        var response = await Api.GetAsync("/jobs/20000101000000000000", Token);

        Assert.Equal(HttpStatusCode.NotFound, response.Status);
    }

    [Fact]
    public async Task Keys_ListAllAndFinger()
    {
        var all = await Api.GetAsync("/keys", Token);
        var one = await Api.GetAsync("/keys/web1", Token);

        var keys = (Dictionary<string, object?>)all.Body!["return"]!;
        Assert.Equal(["db1", "web1", "web2"], ((List<object?>)keys["minions"]!).Order());
        Assert.Contains("master.pub", (List<object?>)keys["local"]!);
        Assert.Empty((List<object?>)keys["minions_pre"]!);
        var finger = (Dictionary<string, object?>)((Dictionary<string, object?>)one.Body!["return"]!)["minions"]!;
        Assert.Matches("^([0-9a-f]{2}:)+[0-9a-f]{2}$", (string)finger["web1"]!);
        Assert.Single(finger);
    }

    [Fact]
    public async Task Login_AnswersTokenExpiryAndSortedPerms_AndTheHeader()
    {
        var response = await Api.PostAsync("/login", null, new Dictionary<string, object?> { ["username"] = "admin", ["password"] = "adminpw", ["eauth"] = "file" });

        var ticket = response.First;
        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal(ticket["token"], response.Headers["X-Auth-Token"]);
        Assert.Equal("admin", ticket["user"]);
        Assert.Equal("file", ticket["eauth"]);
        Assert.True((double)ticket["expire"]! > (double)ticket["start"]!);
        Assert.Equal([".*", "@jobs", "@runner", "@wheel"], (List<object?>)ticket["perms"]!);
    }

    [Fact]
    public async Task Login_FormBody_AndYamlBody()
    {
        var form = await Api.PostAsync("/login", null, "username=pinger&password=pingerpw&eauth=file", "application/x-www-form-urlencoded");
        var yaml = await Api.PostAsync("/login", null, "username: pinger\npassword: pingerpw\neauth: file\n", "application/x-yaml");

        Assert.Equal(HttpStatusCode.OK, form.Status);
        Assert.Equal(HttpStatusCode.OK, yaml.Status);
        Assert.Equal(["test.ping"], (List<object?>)yaml.First["perms"]!);
    }

    [Fact]
    public async Task Login_UserWithoutRights_HasEmptyPerms()
    {
        var response = await Api.PostAsync("/login", null, new Dictionary<string, object?> { ["username"] = "nobody", ["password"] = "nobodypw", ["eauth"] = "file" });

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Empty((Dictionary<string, object?>)response.First["perms"]!);
    }

    [Theory]
    [InlineData("admin", "wrong", "file", 401)]
    [InlineData("ghost", "ghostpw", "file", 401)]
    [InlineData("admin", "adminpw", "pam", 401)]
    [InlineData("admin", "adminpw", "", 400)]
    public async Task Login_Refused(string user, string password, string eauth, int status)
    {
        var response = await Api.PostAsync("/login", null, new Dictionary<string, object?> { ["username"] = user, ["password"] = password, ["eauth"] = eauth });

        Assert.Equal(status, (int)response.Status);
        Assert.False(response.Headers.ContainsKey("X-Auth-Token"));
    }

    [Fact]
    public async Task Logout_TheTokenNoLongerWorks()
    {
        var token = await Api.LoginAsync("pinger");
        Assert.Equal(HttpStatusCode.OK, (await Api.GetAsync("/", token)).Status);

        var logout = await Api.PostAsync("/logout", token, new Dictionary<string, object?>());

        Assert.Equal(HttpStatusCode.OK, logout.Status);
        Assert.Equal("Your token has been cleared", logout.Body!["return"]);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Api.GetAsync("/", token)).Status);
    }

    [Fact]
    public async Task SessionCookie_WorksLikeTheHeader()
    {
        var token = await Api.LoginAsync("pinger");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add("Cookie", $"session_id={token}");

        var response = await Api.SendAsync(request, null);

        Assert.Equal(HttpStatusCode.OK, response.Status);
    }
}
