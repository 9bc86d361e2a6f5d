namespace Orchestrator.Minion.Modules;

/// <summary>
/// A clean, expected failure of a module function (bad argument, missing file, command not found). The message is returned
/// to the caller as is, with retcode 1, instead of a stack trace.
/// </summary>
public sealed class ModuleException(string message, Exception? inner = null) : Exception(message, inner);
