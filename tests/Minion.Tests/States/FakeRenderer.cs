using Orchestrator.Shared.Rendering;
using Orchestrator.Minion.StateEngine;

namespace Orchestrator.Minion.Tests.States;

internal sealed class FakeRenderer : ISlsTemplateRenderer
{
    public string Render(string source, string path, IReadOnlyDictionary<string, object?> context)
    {
        foreach (var (key, value) in context)
        {
            if (value is string s)
            {
                source = source.Replace("{{ " + key + " }}", s, StringComparison.Ordinal);
            }
        }
        return source;
    }
}
