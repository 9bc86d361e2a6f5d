using System.Globalization;

namespace Orchestrator.Minion.Modules.Execution;

/// <summary>
/// One state run at a time on a minion, as Salt enforces: a second state.apply/sls/highstate/single while one runs is
/// refused with Salt's message and retcode 1, or waits its turn with <c>queue=True</c>.
/// </summary>
public sealed class StateRunGate
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private (string Function, string? Jid, DateTimeOffset Started)? _holder;

    /// <summary>Runs <paramref name="body"/> alone, or returns Salt's conflict message when another run holds the gate.</summary>
    public async Task<object?> RunAsync(ModuleCall call, Func<Task<object?>> body, CancellationToken cancellationToken)
    {
        if (call.GetBool("queue"))
        {
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        else if (!_gate.Wait(0, CancellationToken.None))
        {
            call.Retcode = 1;
            var holder = _holder;
            return new List<object?>
            {
                $"The function \"{holder?.Function ?? "state"}\" is running as PID {Environment.ProcessId} and was started at " +
                $"{(holder?.Started ?? call.Context.Time.GetUtcNow()).UtcDateTime.ToString("yyyy, MMM dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture)} " +
                $"with jid {holder?.Jid ?? "req"}",
            };
        }
        try
        {
            _holder = (call.Function, call.Context.Jid, call.Context.Time.GetUtcNow());
            return await body().ConfigureAwait(false);
        }
        finally
        {
            _holder = null;
            _gate.Release();
        }
    }
}
