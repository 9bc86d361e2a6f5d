using Orchestrator.Shared.Commands;

namespace Orchestrator.Shared.Tests.Commands;

public sealed class CommandLineParserTests
{
    [Theory]
    [InlineData("-c /etc/o key -L", CliVerb.Key)]
    [InlineData("key -c /etc/o -A -y", CliVerb.Key)]
    [InlineData("-c /etc/o key -A -y", CliVerb.Key)]
    [InlineData("--out json run jobs.list_jobs", CliVerb.Run)]
    [InlineData("-c /etc/o run manage.status", CliVerb.Run)]
    [InlineData("--out=json run jobs.list_jobs", CliVerb.Run)]
    [InlineData("-l debug call --local test.ping", CliVerb.Call)]
    [InlineData("'*' test.ping", CliVerb.Publish)]
    [InlineData("-t 5 web1 test.ping", CliVerb.Publish)]
    public void TheVerbIsFoundBehindOptions(string line, CliVerb verb)
    {
        var parsed = CommandLineParser.Parse(line.Split(' '));
        Assert.Equal(verb, parsed.Verb);
        Assert.DoesNotContain(parsed.Positional, w => w is "key" or "run" or "call");
    }

    [Fact]
    public void OptionsBeforeAndAfterTheVerbAndTheFunctionAllCount()
    {
        var parsed = CommandLineParser.Parse(["-c", "/a", "run", "--out", "json", "jobs.lookup_jid", "123", "--static"]);
        Assert.Equal(CliVerb.Run, parsed.Verb);
        Assert.Equal("/a", parsed.ConfigDir);
        Assert.Equal("json", parsed.Value("--out"));
        Assert.True(parsed.Has("--static"));
        Assert.Equal(["jobs.lookup_jid", "123"], parsed.Positional);
    }

    [Fact]
    public void ATargetFlagMakesAVerbWordATarget()
    {
        var parsed = CommandLineParser.Parse(["-L", "key,web1", "test.ping"]);
        Assert.Equal(CliVerb.Publish, parsed.Verb);
        Assert.Equal(["key,web1", "test.ping"], parsed.Positional);
        Assert.True(parsed.Has("--list"));
    }

    [Fact]
    public void TheVerbDecidesWhatALetterMeans()
    {
        var key = CommandLineParser.Parse(["key", "-l", "acc"]);
        Assert.Equal("acc", key.Value("--list"));
        Assert.Null(key.Value("--log-level"));
        var publish = CommandLineParser.Parse(["-l", "debug", "*", "test.ping"]);
        Assert.Equal("debug", publish.Value("--log-level"));
        Assert.Equal(["*", "test.ping"], publish.Positional);
    }

    [Fact]
    public void ShortSwitchesClusterAndShortValuesMayBeAttached()
    {
        var key = CommandLineParser.Parse(["key", "-yA"]);
        Assert.True(key.Has("--yes"));
        Assert.True(key.Has("--accept-all"));
        var publish = CommandLineParser.Parse(["-t5", "-vp", "*", "test.ping"]);
        Assert.Equal(5, publish.PositiveInt("--timeout"));
        Assert.True(publish.Has("--verbose"));
        Assert.True(publish.Has("--progress"));
    }

    [Fact]
    public void DoubleDashEndsTheOptionsAndNegativeNumbersAreArguments()
    {
        var parsed = CommandLineParser.Parse(["web1", "test.arg", "-5", "--", "--literal", "-x"]);
        Assert.Equal(["web1", "test.arg", "-5", "--literal", "-x"], parsed.Positional);
        Assert.Empty(parsed.Options);
    }

    [Theory]
    [InlineData("key --local", "unknown option '--local' for orch key")]
    [InlineData("run jobs.list_jobs -y", "unknown option '-y' for orch run")]
    [InlineData("'*' test.ping --accept-all", "unknown option '--accept-all' for orch")]
    [InlineData("'*' test.ping -t", "-t needs a value")]
    [InlineData("'*' test.ping --static=yes", "--static takes no value")]
    public void BadOptionsAreUsageErrorsNamingTheVerb(string line, string message)
    {
        var e = Assert.Throws<UsageException>(() => CommandLineParser.Parse(line.Split(' ')));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ALaterValueWinsAndPositiveIntRejectsNonsense()
    {
        var parsed = CommandLineParser.Parse(["-t", "3", "*", "test.ping", "--timeout=9", "--subset", "zero"]);
        Assert.Equal(9, parsed.PositiveInt("--timeout"));
        Assert.Throws<UsageException>(() => parsed.PositiveInt("--subset"));
    }

    [Theory]
    [InlineData(CliVerb.Publish, "--hide-timeout")]
    [InlineData(CliVerb.Publish, "--subset")]
    [InlineData(CliVerb.Key, "--accept-all")]
    [InlineData(CliVerb.Run, "--out")]
    [InlineData(CliVerb.Call, "--local")]
    public void EachVerbsHelpListsItsOptions(CliVerb verb, string option)
    {
        var help = VerbUsage.For(verb);
        Assert.Contains(option, help, StringComparison.Ordinal);
        Assert.StartsWith("Usage:", help, StringComparison.Ordinal);
    }

    [Fact]
    public void KeyHelpDoesNotListPublishOptions() =>
        Assert.DoesNotContain("--subset", VerbUsage.For(CliVerb.Key), StringComparison.Ordinal);

    [Fact]
    public void TheVersionsReportNamesTheProductSaltAndTheSystem()
    {
        var report = VersionsReport.Build();
        Assert.Contains("Salt compatibility: " + VersionsReport.SaltCompatibility, report, StringComparison.Ordinal);
        Assert.Contains("System Versions:", report, StringComparison.Ordinal);
        Assert.Contains("NetMQ: ", report, StringComparison.Ordinal);
        Assert.DoesNotContain("Not Installed", report, StringComparison.Ordinal);
    }
}
