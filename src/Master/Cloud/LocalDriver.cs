using Orchestrator.Master.Hosting;

namespace Orchestrator.Master.Cloud;

/// <summary>
/// The <c>local</c> driver: a new <c>orch-minion</c> process on this host, in a root dir of its own, reaching the master
/// on the address the master listens on (loopback when it listens on every address).
/// </summary>
internal sealed class LocalDriver(MasterOptions options) : ICloudDriver
{
    public string Name => "local";

    public Task<CloudNode> PrepareAsync(CloudVm vm, CloudNode node, IReadOnlyList<CloudNode> existing, CancellationToken cancellationToken) =>
        Task.FromResult(node with { MasterAddress = options.Interface switch
        {
            "0.0.0.0" or "" => "127.0.0.1",
            "::" => "::1",
            var address => address,
        } });

    public IReadOnlyList<string> Command(CloudNode node, string binary) => ["setsid", binary, "-c", node.RootDir];

    public Task TeardownAsync(CloudNode node, CancellationToken cancellationToken) => Task.CompletedTask;
}
