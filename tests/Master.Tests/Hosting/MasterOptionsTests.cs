using Orchestrator.Master.Hosting;
using Orchestrator.Shared.Config;
using Orchestrator.Testing;

namespace Orchestrator.Master.Tests.Hosting;

public sealed class MasterOptionsTests : IDisposable
{
    private readonly TempDir _dir = Some.TempDir();

    public void Dispose() => _dir.Dispose();

    private MasterOptions Load(string yaml)
    {
        File.WriteAllText(_dir.Combine("master"), yaml);
        return MasterOptions.Load(_dir.Path, _ => { });
    }

    [Theory]
    [InlineData("", "auto")]
    [InlineData("publish_fanout: pub\n", "pub")]
    [InlineData("publish_fanout: router\n", "router")]
    public void PublishFanout_AcceptsItsThreeModes(string yaml, string expected) => Assert.Equal(expected, Load(yaml).PublishFanout);

    [Fact]
    public void PublishFanout_UnknownMode_NamesTheKeyTheValueAndTheFile()
    {
        var error = Assert.Throws<ConfigException>(() => Load("publish_fanout: sideways\n"));

        Assert.Contains("'publish_fanout'", error.Message);
        Assert.Contains("'sideways'", error.Message);
        Assert.Contains(_dir.Combine("master"), error.Message);
    }

    [Fact]
    public void InboundQueue_DefaultsAndIsClamped()
    {
        Assert.Equal(20_000, Load("").InboundQueue);
        Assert.Equal(16, Load("inbound_queue: 1\n").InboundQueue);
    }
}
