namespace Orchestrator.Cli;

/// <summary>Bad command-line usage: printed with a pointer to --help, exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
