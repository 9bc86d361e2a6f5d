using Orchestrator.Master.Api;

namespace Orchestrator.Master.Tests.Api;

public sealed class ApiBodyReaderTests
{
    [Fact]
    public void Form_RepeatedArgIsAList_SingleArgAListOfOne_KwargYamlified()
    {
        var many = (Dictionary<string, object?>)ApiBodyReader.Parse("application/x-www-form-urlencoded", "fun=test.arg&arg=1&arg=b")!;
        var one = (Dictionary<string, object?>)ApiBodyReader.Parse("application/x-www-form-urlencoded", "arg=x&kwarg=%7Ba%3A+1%7D")!;

        Assert.Equal("test.arg", many["fun"]);
        Assert.Equal(new List<object?> { 1L, "b" }, many["arg"]);
        Assert.Equal(new List<object?> { "x" }, one["arg"]);
        Assert.Equal(new Dictionary<string, object?> { ["a"] = 1L }, one["kwarg"]);
    }

    [Fact]
    public void TextPlain_JsonOrText()
    {
        Assert.Equal(new List<object?> { 1L }, ApiBodyReader.Parse("text/plain", "[1]"));
        Assert.Equal("hello", ApiBodyReader.Parse("text/plain", "hello"));
    }

    [Theory]
    [InlineData("application/json", "{bad", 400)]
    [InlineData("application/x-yaml", "a: [b", 400)]
    [InlineData("application/xml", "<a/>", 406)]
    [InlineData("", "x", 406)]
    public void Refused(string type, string body, int status)
    {
        Assert.Equal(status, Assert.Throws<ApiException>(() => ApiBodyReader.Parse(type, body)).Status);
    }
}
