using Orchestrator.Shared.Commands;

namespace Orchestrator.Cli;

/// <summary>What every verb runs with: its parsed command line, the two streams and the CLI's own log (<c>-l</c>).</summary>
internal sealed record CliContext(ParsedCommandLine Args, TextWriter Stdout, TextWriter Stderr, Serilog.ILogger Log);
