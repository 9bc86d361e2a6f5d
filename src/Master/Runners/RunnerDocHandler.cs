using Orchestrator.Shared.Protocol;
using Orchestrator.Shared.Protocol.Messages;

namespace Orchestrator.Master.Runners;

/// <summary>
/// Answers a minion's <see cref="MessageType.RunnerDocRequest"/>: runners live only on the master, so a minion's
/// <c>sys.list_runners</c> and <c>sys.runner_doc</c> ask here and select among the answer themselves.
/// </summary>
public sealed class RunnerDocHandler(RunnerRegistry runners)
{
    /// <summary>The reply's body: every runner function with its doc.</summary>
    public byte[] Answer() => WireCodec.Serialize(new RunnerDocResponse { Docs = runners.Docs() });
}
