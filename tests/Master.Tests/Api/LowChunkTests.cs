using Orchestrator.Master.Api;

namespace Orchestrator.Master.Tests.Api;

public sealed class LowChunkTests
{
    private static Dictionary<string, object?> Raw(params (string Key, object? Value)[] pairs) =>
        pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    [Theory]
    [InlineData("ssh")]
    [InlineData("local_subset")]
    [InlineData("Local")]
    [InlineData("_prep_auth_info")]
    public void Parse_UnknownClient_Is400(string client)
    {
        var e = Assert.Throws<ApiException>(() => LowChunk.Parse(Raw(("client", client), ("tgt", "*"), ("fun", "test.ping"))));

        Assert.Equal(400, e.Status);
        Assert.Equal($"Invalid client specified: '{client}'", e.Message);
    }

    [Fact]
    public void Parse_Local_NameValueArgsBecomeKwargs_OthersStayAsGiven()
    {
        var chunk = LowChunk.Parse(Raw(("client", "local"), ("tgt", "*"), ("fun", "test.arg"), ("arg", new List<object?> { "a=1", "1", "x y=z", "==b" })));

        Assert.Equal(new List<object?> { "1", "x y=z", "==b" }, chunk.Args);
        Assert.Equal(1L, chunk.Kwargs["a"]);
    }

    [Fact]
    public void Parse_Runner_TopLevelKeysAreKwargs_CredentialsAndReservedKeysAreNot()
    {
        var chunk = LowChunk.Parse(Raw(
            ("client", "runner"), ("fun", "jobs.lookup_jid"), ("jid", "123"), ("username", "u"), ("password", "secret"), ("eauth", "file"),
            ("token", "abc"), ("timeout", 5L), ("arg", "42")));

        Assert.Equal("123", chunk.Kwargs["jid"]);
        Assert.Equal(["jid"], chunk.Kwargs.Keys);
        Assert.Equal(new List<object?> { 42L }, chunk.Args);
        Assert.Equal("secret", chunk.Password);
        Assert.Equal(5, chunk.Timeout);
    }

    [Fact]
    public void Parse_ListTarget_IsJoined()
    {
        var chunk = LowChunk.Parse(Raw(("client", "local"), ("tgt", new List<object?> { "a", "b" }), ("tgt_type", "list"), ("fun", "test.ping")));

        Assert.Equal("a,b", chunk.Target);
        Assert.Equal("list", chunk.TargetType);
    }

    [Fact]
    public void Parse_ExprType_IsTheOldNameOfTgtType()
    {
        var chunk = LowChunk.Parse(Raw(("client", "local"), ("tgt", "G@os:Debian"), ("expr_type", "compound"), ("fun", "test.ping")));

        Assert.Equal("compound", chunk.TargetType);
    }

    [Theory]
    [InlineData("local", null, "test.ping")]
    [InlineData("local", "*", null)]
    [InlineData(null, "*", "test.ping")]
    public void Parse_MissingParts_Are400(string? client, string? tgt, string? fun)
    {
        var raw = Raw(("client", client), ("tgt", tgt), ("fun", fun));

        Assert.Equal(400, Assert.Throws<ApiException>(() => LowChunk.Parse(raw)).Status);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-1L)]
    [InlineData("soon")]
    public void Parse_BadTimeout_Is400(object timeout)
    {
        var raw = Raw(("client", "local"), ("tgt", "*"), ("fun", "test.ping"), ("timeout", timeout));

        Assert.Equal(400, Assert.Throws<ApiException>(() => LowChunk.Parse(raw)).Status);
    }

    [Fact]
    public void ParseAll_OneMappingIsOneChunk_ClientOverrides()
    {
        var chunks = LowChunk.ParseAll(Raw(("client", "local"), ("tgt", "*"), ("fun", "test.ping")), client: "local_async");

        Assert.Equal("local_async", Assert.Single(chunks).Client);
    }

    [Fact]
    public void ParseAll_NotAList_Is400()
    {
        Assert.Equal(400, Assert.Throws<ApiException>(() => LowChunk.ParseAll("text")).Status);
        Assert.Equal(400, Assert.Throws<ApiException>(() => LowChunk.ParseAll(new List<object?> { "text" })).Status);
        Assert.Equal(400, Assert.Throws<ApiException>(() => LowChunk.ParseAll(null)).Status);
    }

    [Fact]
    public void ToString_NeverShowsThePassword()
    {
        var chunk = LowChunk.Parse(Raw(("client", "local"), ("tgt", "*"), ("fun", "test.ping"), ("password", "hunter2")));

        Assert.DoesNotContain("hunter2", chunk.ToString());
    }
}
