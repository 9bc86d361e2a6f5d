namespace Orchestrator.Shared.Rendering.Jinja.Runtime;

/// <summary>A partial dotted lookup on an <see cref="IJinjaIndexable"/>: <c>salt.cmd</c> waiting for <c>.run</c>.</summary>
internal sealed class IndexablePath
{
    public IndexablePath(IJinjaIndexable root, string path)
    {
        Root = root;
        Path = path;
    }

    public IJinjaIndexable Root { get; }

    public string Path { get; }
}
