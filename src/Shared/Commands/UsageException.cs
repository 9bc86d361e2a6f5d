namespace Orchestrator.Shared.Commands;

/// <summary>Bad command-line usage: printed with a pointer to --help, exit code 2.</summary>
/// <param name="message">What was wrong, naming the option or word.</param>
public sealed class UsageException(string message) : Exception(message);
