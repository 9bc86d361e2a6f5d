namespace Orchestrator.Shared.States;

/// <summary>A file found in an <see cref="ISlsTree"/>: where it is (a path on this host, or a label for error messages) and its text.</summary>
public sealed record SlsFile(string Location, string Text);
