using Orchestrator.Shared.Data;
using Orchestrator.Minion.StateEngine;

namespace Orchestrator.Minion.Modules.States;

/// <summary>Small helpers for state modules that drive execution modules through the invoker.</summary>
internal static class StateInvoke
{
    public static async Task<object?> CallAsync(StateCall call, string function, IReadOnlyList<object?> args,
        Dictionary<string, object?>? kwargs, CancellationToken cancellationToken)
    {
        var result = await call.InvokeAsync(function, args, kwargs ?? new Dictionary<string, object?>(StringComparer.Ordinal), cancellationToken)
            .ConfigureAwait(false);
        if (!result.Success && result.Return is string error)
        {
            throw new StateCallException(error);
        }
        return result.Return;
    }

    public static async Task<(long Retcode, string Stdout, string Stderr)> ShellAsync(StateCall call, string command, CancellationToken cancellationToken)
    {
        var kwargs = new Dictionary<string, object?>(StringComparer.Ordinal) { ["python_shell"] = true };
        var result = await call.InvokeAsync("cmd.run_all", [command], kwargs, cancellationToken).ConfigureAwait(false);
        if (result.Return is not Dictionary<string, object?> all)
        {
            throw new StateCallException(PyText.Str(result.Return));
        }
        return (all.GetValueOrDefault("retcode") as long? ?? 1, all.GetValueOrDefault("stdout") as string ?? string.Empty,
            all.GetValueOrDefault("stderr") as string ?? string.Empty);
    }

    /// <summary>POSIX shell single-quoting.</summary>
    public static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
