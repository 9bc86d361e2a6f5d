namespace Orchestrator.Master.WebConsole;

/// <summary>One file of the web console as served: its bytes, media type and entity tag.</summary>
public sealed record ConsoleAsset(string Path, byte[] Content, string ContentType, string ETag);
