namespace Orchestrator.Minion.Modules;

/// <summary>
/// A clean, expected failure of a module function (bad argument, missing file, command not found). The message is returned
/// to the caller as is, with retcode 1, instead of a stack trace.
/// </summary>
public sealed class ModuleException : Exception
{
    public ModuleException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }

    /// <summary>
    /// Salt's <c>CommandExecutionError(message, info=...)</c>: the message, then "Additional info follows:" and the items;
    /// <c>orch call</c> prints it on stderr as salt-call does ("Error running 'fun': ...").
    /// </summary>
    public ModuleException(string message, IReadOnlyList<string> info)
        : base($"{message}. Additional info follows:\n\n{string.Join("\n", info.Select(i => "- " + i))}")
    {
        Info = info;
    }

    /// <summary>The additional info of a Salt CommandExecutionError, when given.</summary>
    public IReadOnlyList<string>? Info { get; }
}
