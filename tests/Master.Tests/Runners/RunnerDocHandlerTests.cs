using Orchestrator.Master.Runners;
using Orchestrator.Shared.Protocol;
using Orchestrator.Shared.Protocol.Messages;

namespace Orchestrator.Master.Tests.Runners;

public sealed class RunnerDocHandlerTests
{
    [Fact]
    public void Answer_HasEveryRunnerFunctionWithItsDoc()
    {
        var registry = new RunnerRegistry();

        var docs = WireCodec.Deserialize<RunnerDocResponse>(new RunnerDocHandler(registry).Answer()).Docs;

        Assert.Equal(registry.Names, docs.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("manage.status", docs.Keys);
        Assert.StartsWith("Return the returns of a job by jid", docs["jobs.lookup_jid"], StringComparison.Ordinal);
        Assert.All(docs.Values, doc => Assert.False(string.IsNullOrWhiteSpace(doc)));
    }
}
