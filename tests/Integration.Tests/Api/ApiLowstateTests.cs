using System.Net;
using Orchestrator.Master.Events;
using Orchestrator.Shared.Data;
using Orchestrator.Testing;

namespace Orchestrator.Integration.Tests.Api;

/// <summary>
/// Scenario: a master with rest_api and three real minions (web1, web2, db1); an admin logs in through POST /login and
/// drives POST / with every client kind, as pepper does. Answers have salt-api's shapes.
/// </summary>
[Trait("Category", "Integration")]
[Collection("cluster")]
public sealed class ApiLowstateTests(ApiClusterFixture fixture) : IClassFixture<ApiClusterFixture>
{
    private ApiCluster Api => fixture.Api;

    private string Token => fixture.AdminToken;

    private static Dictionary<string, object?> Chunk(string client, string fun, string? tgt = null, params object?[] args)
    {
        var chunk = new Dictionary<string, object?>(StringComparer.Ordinal) { ["client"] = client, ["fun"] = fun };
        if (tgt is not null)
        {
            chunk["tgt"] = tgt;
        }
        if (args.Length > 0)
        {
            chunk["arg"] = args.ToList();
        }
        return chunk;
    }

    [Fact]
    public async Task Local_PingsEveryMinion_AsMinionToReturn()
    {
        var result = (Dictionary<string, object?>)(await Api.RunAsync(Token, Chunk("local", "test.ping", "*")))!;

        Assert.Equal(["db1", "web1", "web2"], result.Keys.Order());
        Assert.All(result.Values, v => Assert.Equal(true, v));
    }

    [Fact]
    public async Task Local_ArgsAndKwargs_ReachTheMinionTyped_AndNameValueStringsAreKeywords()
    {
        var chunk = Chunk("local", "test.arg", "web1", 1, "two", "name=value");
        chunk["kwarg"] = new Dictionary<string, object?> { ["flag"] = true };

        var result = (Dictionary<string, object?>)(await Api.RunAsync(Token, chunk))!;

        var web1 = (Dictionary<string, object?>)result["web1"]!;
        Assert.Equal([1L, "two"], (List<object?>)web1["args"]!);
        var kwargs = (Dictionary<string, object?>)web1["kwargs"]!;
        Assert.Equal(true, kwargs["flag"]);
        Assert.Equal("value", kwargs["name"]);
    }

    [Fact]
    public async Task Local_FullReturn_GivesRetRetcodeAndJid()
    {
        var chunk = Chunk("local", "test.ping", "web1");
        chunk["full_return"] = true;

        var result = (Dictionary<string, object?>)(await Api.RunAsync(Token, chunk))!;

        var web1 = (Dictionary<string, object?>)result["web1"]!;
        Assert.Equal(true, web1["ret"]);
        Assert.Equal(0L, web1["retcode"]);
        Assert.Matches("^[0-9]{20}$", (string)web1["jid"]!);
    }

    [Fact]
    public async Task Local_TargetTypes_ListAndCompound_SelectTheirMinions()
    {
        var list = Chunk("local", "test.ping", "web1,db1");
        list["tgt_type"] = "list";
        var compound = Chunk("local", "test.ping", "web* and not web2");
        compound["tgt_type"] = "compound";

        var response = await Api.PostAsync("/", Token, new List<object?> { list, compound });

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal(["db1", "web1"], ((Dictionary<string, object?>)response.Return[0]!).Keys.Order());
        Assert.Equal(["web1"], ((Dictionary<string, object?>)response.Return[1]!).Keys.Order());
    }

    [Fact]
    public async Task LocalAsync_AnswersJidAndMinions_AndTheReturnsReachTheJobCache()
    {
        var started = (Dictionary<string, object?>)(await Api.RunAsync(Token, Chunk("local_async", "test.ping", "web*")))!;

        var jid = (string)started["jid"]!;
        Assert.Equal(["web1", "web2"], ((List<object?>)started["minions"]!).Order());
        await Poll.UntilAsync(async () =>
        {
            var job = await Api.GetAsync($"/jobs/{jid}", Token);
            return job.Status == HttpStatusCode.OK && ((Dictionary<string, object?>)job.Return[0]!).Count == 2;
        }, $"the returns of {jid} in GET /jobs/{jid}");
    }

    [Fact]
    public async Task LocalAsync_NoMatchingMinion_AnswersEmptyAndPublishesNothing()
    {
        var result = (Dictionary<string, object?>)(await Api.RunAsync(Token, Chunk("local_async", "test.ping", "nosuch*")))!;

        Assert.Empty(result);
    }

    [Fact]
    public async Task LocalBatch_OneEntryPerReturningMinion()
    {
        var chunk = Chunk("local_batch", "test.ping", "*");
        chunk["batch"] = "1";

        var response = await Api.PostAsync("/", Token, new List<object?> { chunk });

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal(3, response.Return.Count);
        Assert.Equal(["db1", "web1", "web2"], response.Return.Cast<Dictionary<string, object?>>().Select(r => r.Keys.Single()).Order());
    }

    [Fact]
    public async Task Runner_AnswersTheRunnersReturn()
    {
        var result = (Dictionary<string, object?>)(await Api.RunAsync(Token, Chunk("runner", "manage.status")))!;

        Assert.Equal(["db1", "web1", "web2"], ((List<object?>)result["up"]!).Order());
    }

    [Fact]
    public async Task Runner_KeywordArgumentsAtTopLevel_ReachTheRunner()
    {
        var started = (Dictionary<string, object?>)(await Api.RunAsync(Token, Chunk("local_async", "test.ping", "web1")))!;
        var jid = (string)started["jid"]!;
        await Poll.UntilAsync(async () => (await Api.GetAsync($"/jobs/{jid}", Token)).Return[0] is Dictionary<string, object?> { Count: 1 }, $"the return of {jid}");
        var chunk = Chunk("runner", "jobs.lookup_jid");
        chunk["jid"] = jid;

        var result = (Dictionary<string, object?>)(await Api.RunAsync(Token, chunk))!;

        Assert.Equal(true, result["web1"]);
    }

    [Fact]
    public async Task Runner_Failing_AnswersTheErrorAsTheReturn()
    {
        var result = await Api.RunAsync(Token, Chunk("runner", "nosuch.runner"));

        Assert.Contains("nosuch.runner", Assert.IsType<string>(result));
    }

    [Fact]
    public async Task RunnerAsync_AnswersTagAndJid_AndTheRunnerFinishesOnTheBus()
    {
        using var runs = Api.Cluster.MasterService<EventBus>().Subscribe(tag => tag.StartsWith("salt/run/", StringComparison.Ordinal) && tag.EndsWith("/ret", StringComparison.Ordinal));

        var started = (Dictionary<string, object?>)(await Api.RunAsync(Token, Chunk("runner_async", "manage.up")))!;

        var jid = (string)started["jid"]!;
        Assert.Equal($"salt/run/{jid}", started["tag"]);
        MasterEvent done;
        do
        {
            done = await TestCluster.WaitForEventAsync(runs, $"salt/run/{jid}/ret");
        }
        while (done.Tag != $"salt/run/{jid}/ret");
        Assert.Equal(true, done.Data["success"]);
        Assert.Equal("admin", done.Data["user"]);
    }

    [Fact]
    public async Task Wheel_KeyListAll_HasSaltsTagAndDataShape()
    {
        var result = (Dictionary<string, object?>)(await Api.RunAsync(Token, Chunk("wheel", "key.list_all")))!;

        var data = (Dictionary<string, object?>)result["data"]!;
        Assert.Matches("^salt/wheel/[0-9]{20}$", (string)result["tag"]!);
        Assert.Equal("wheel.key.list_all", data["fun"]);
        Assert.Equal(result["tag"], data["tag"]);
        Assert.Equal("admin", data["user"]);
        Assert.Equal(true, data["success"]);
        Assert.IsType<string>(data["_stamp"]);
        Assert.Contains("web1", (List<object?>)((Dictionary<string, object?>)data["return"]!)["minions"]!);
    }

    [Fact]
    public async Task WheelAsync_AnswersTagAndJid()
    {
        var result = (Dictionary<string, object?>)(await Api.RunAsync(Token, Chunk("wheel_async", "key.list_all")))!;

        Assert.Equal($"salt/wheel/{result["jid"]}", result["tag"]);
    }

    [Fact]
    public async Task TwoChunks_TwoReturnsInOrder()
    {
        var response = await Api.PostAsync("/", Token, new List<object?> { Chunk("local", "test.echo", "web1", "first"), Chunk("runner", "manage.up") });

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("first", ((Dictionary<string, object?>)response.Return[0]!)["web1"]);
        Assert.Contains("web1", (List<object?>)response.Return[1]!);
    }

    [Fact]
    public async Task OneChunkObject_IsALowstateOfOne()
    {
        var response = await Api.PostAsync("/", Token, Chunk("local", "test.echo", "web1", "single"));

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("single", ((Dictionary<string, object?>)response.Return.Single()!)["web1"]);
    }

    [Fact]
    public async Task YamlBody_AndYamlAnswer()
    {
        var response = await Api.PostAsync("/", Token, "- client: local\n  tgt: web1\n  fun: test.ping\n", "application/x-yaml", accept: "application/x-yaml");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("application/x-yaml", response.ContentType);
        var parsed = (Dictionary<string, object?>)PyYaml.Load(response.Text)!;
        Assert.Equal(true, ((Dictionary<string, object?>)((List<object?>)parsed["return"]!)[0]!)["web1"]);
    }

    [Fact]
    public async Task FormBody_ArgsTypedAsOnTheCommandLine()
    {
        var response = await Api.PostAsync("/", Token, "client=local&tgt=web1&fun=test.arg&arg=1&arg=%5Ba%2C+b%5D&arg=plain", "application/x-www-form-urlencoded");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        var web1 = (Dictionary<string, object?>)((Dictionary<string, object?>)response.Return[0]!)["web1"]!;
        Assert.Equal([1L, new List<object?> { "a", "b" }, "plain"], (List<object?>)web1["args"]!);
    }

    [Fact]
    public async Task Run_ChunkCredentials_WithoutASession()
    {
        var chunk = Chunk("local", "test.ping", "web1");
        chunk["username"] = "pinger";
        chunk["password"] = "pingerpw";
        chunk["eauth"] = "file";

        var response = await Api.PostAsync("/run", null, new List<object?> { chunk });

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal(true, ((Dictionary<string, object?>)response.Return[0]!)["web1"]);
    }

    [Fact]
    public async Task Run_ChunkToken_WithoutASession()
    {
        var chunk = Chunk("local", "test.ping", "db1");
        chunk["token"] = Token;

        var response = await Api.PostAsync("/run", null, new List<object?> { chunk });

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal(true, ((Dictionary<string, object?>)response.Return[0]!)["db1"]);
    }

    [Fact]
    public async Task GetRoot_ListsTheClients()
    {
        var response = await Api.GetAsync("/", Token);

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("Welcome", response.Body!["return"]);
        Assert.Contains("local_async", (List<object?>)response.Body["clients"]!);
        Assert.DoesNotContain("ssh", (List<object?>)response.Body["clients"]!);
    }

    [Theory]
    [InlineData("\"just text\"", "application/json", 400)]
    [InlineData("[]", "application/json", 400)]
    [InlineData("[{\"client\": \"local\", \"tgt\": \"*\"", "application/json", 400)]
    [InlineData("[{\"client\": \"local\", \"tgt\": \"*\"}]", "application/json", 400)]
    [InlineData("[{\"client\": \"local\", \"fun\": \"test.ping\"}]", "application/json", 400)]
    [InlineData("[{\"client\": \"local\", \"tgt\": \"*\", \"fun\": \"test.ping\", \"tgt_type\": \"bogus\"}]", "application/json", 400)]
    [InlineData("[{\"client\": \"local\", \"tgt\": \"*\", \"fun\": \"test.ping\", \"kwarg\": [1]}]", "application/json", 400)]
    [InlineData("a,b\n1,2\n", "text/csv", 406)]
    public async Task BadLowstate_IsRefusedWithAMessage(string body, string contentType, int status)
    {
        var response = await Api.PostAsync("/", Token, body, contentType);

        Assert.Equal(status, (int)response.Status);
        Assert.IsType<string>(response.Body!["return"]);
    }

    [Fact]
    public async Task AcceptNeitherJsonNorYaml_Is406()
    {
        var response = await Api.GetAsync("/minions", Token, accept: "text/html");

        Assert.Equal(HttpStatusCode.NotAcceptable, response.Status);
    }

    [Fact]
    public async Task UnknownPath_Is404Json()
    {
        var response = await Api.GetAsync("/no/such/thing", Token);

        Assert.Equal(HttpStatusCode.NotFound, response.Status);
        Assert.Contains("Not Found", (string)response.Body!["return"]!);
    }
}
