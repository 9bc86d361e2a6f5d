namespace Orchestrator.Minion.Modules.Providers;

/// <summary>One process to run: the executable, its arguments and how to run it.</summary>
/// <remarks>
/// Arguments are passed as a list and never re-parsed; shells are run explicitly (<c>/bin/sh -c</c>) by the caller.
/// </remarks>
public sealed record ProcessRequest(string FileName, IReadOnlyList<string> Arguments)
{
    /// <summary>Working directory; null keeps the minion's.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Variables added to (or, with a null value, removed from) the inherited environment.</summary>
    public IReadOnlyDictionary<string, string?>? Environment { get; init; }

    /// <summary>Starts from an empty environment instead of the minion's.</summary>
    public bool ClearEnvironment { get; init; }

    /// <summary>Text written to the process's standard input, which is then closed.</summary>
    public string? Stdin { get; init; }

    /// <summary>When set, the whole process tree is killed after this long and the result is marked timed out.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Run as this user instead of the minion's (requires root).</summary>
    public string? RunAs { get; init; }

    /// <summary>Capture standard error into <see cref="ProcessResult.Stdout"/>, in arrival order, as Salt's <c>cmd.run</c> does.</summary>
    public bool MergeStderr { get; init; }

    /// <summary>The command line for messages and logs.</summary>
    public string Display => string.Join(' ', Arguments.Prepend(FileName).Select(Quote));

    private static string Quote(string part) =>
        part.Length > 0 && part.All(c => char.IsLetterOrDigit(c) || "-_./=:,+@%".Contains(c)) ? part : $"'{part.Replace("'", "'\\''")}'";
}
