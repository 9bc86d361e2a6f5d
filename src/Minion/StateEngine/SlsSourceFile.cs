namespace Orchestrator.Minion.StateEngine;

/// <summary>One SLS file's text and the relative path it was found at (<c>web/init.sls</c>).</summary>
public sealed record SlsSourceFile(string Sls, string RelativePath, string Text);
