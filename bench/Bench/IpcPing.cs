using Orchestrator.Shared.Ipc;

namespace Orchestrator.Bench;

/// <summary><c>test.ping</c> to the bench's minions through the master's IPC socket, as the CLI sends it; every minion must answer.</summary>
internal static class IpcPing
{
    public static async Task RunAsync(MasterClient client, int minions, CancellationToken cancellationToken, string target = "bench*")
    {
        var returned = 0;
        await foreach (var message in client.StreamAsync("publish", new()
        {
            ["fun"] = "test.ping",
            ["tgt"] = target,
            ["arg"] = new List<object?>(),
            ["kwarg"] = new Dictionary<string, object?>(StringComparer.Ordinal),
        }, cancellationToken).ConfigureAwait(false))
        {
            returned += message.GetValueOrDefault("type") is "return" ? 1 : 0;
            if (message.GetValueOrDefault("type") is "end")
            {
                break;
            }
        }
        if (returned != minions)
        {
            throw new InvalidOperationException($"test.ping: {returned} of {minions} minions returned");
        }
    }
}
