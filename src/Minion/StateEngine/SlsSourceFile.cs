namespace Orchestrator.Minion.StateEngine;

/// <summary>One SLS file's text and the relative path it was found at (<c>web/init.sls</c>).</summary>
/// <param name="LocalPath">Where the file is on this host (the file client's cache, or file_roots for a local client):
/// Salt's <c>tplpath</c>. Null when it has no local copy.</param>
public sealed record SlsSourceFile(string Sls, string RelativePath, string Text, string? LocalPath = null);
