using Orchestrator.Shared.Commands;

namespace Orchestrator.Shared.Tests.Commands;

public sealed class CloudCommandLineTests
{
    [Theory]
    [InlineData("cloud -p web web3")]
    [InlineData("-c /etc/o cloud -p web web3")]
    [InlineData("cloud web3 -p web --out json")]
    [InlineData("--out json cloud -pweb web3")]
    public void Cloud_ProfileAndNamesAreFoundWhereverTyped(string line)
    {
        var parsed = CommandLineParser.Parse(line.Split(' '));

        Assert.Equal(CliVerb.Cloud, parsed.Verb);
        Assert.Equal("web", parsed.Value("--profile"));
        Assert.Equal(["web3"], parsed.Positional);
    }

    [Fact]
    public void Cloud_DestroyIsASwitchAndYesClusters()
    {
        var parsed = CommandLineParser.Parse(["cloud", "-dy", "web3", "web4"]);

        Assert.True(parsed.Has("--destroy"));
        Assert.True(parsed.Has("--assume-yes"));
        Assert.Equal(["web3", "web4"], parsed.Positional);
    }

    [Fact]
    public void Cloud_AnOptionOfAnotherVerbIsRefused()
    {
        var e = Assert.Throws<UsageException>(() => CommandLineParser.Parse(["cloud", "-A"]));

        Assert.Contains("for orch cloud", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cloud_HelpListsItsOptions()
    {
        var help = VerbUsage.For(CliVerb.Cloud);

        Assert.Contains("orch cloud [OPTIONS] -p PROFILE", help, StringComparison.Ordinal);
        Assert.Contains("--list-providers", help, StringComparison.Ordinal);
        Assert.DoesNotContain("--accept", help, StringComparison.Ordinal);
    }
}
