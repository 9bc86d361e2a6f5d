using Orchestrator.Shared.Data;

namespace Orchestrator.Shared.Output;

/// <summary>Shared plumbing: normalization, <c>--static</c> handling and Salt's trailing-whitespace trim.</summary>
internal static class OutputterBase
{
    public static string Format(object? data, OutputOptions options, Func<object?, OutputOptions, string> render)
    {
        ArgumentNullException.ThrowIfNull(options);
        var normalized = DataTree.Normalize(data);
        if (!options.Static && normalized is Dictionary<string, object?> { Count: > 1 } perMinion)
        {
            var documents = new List<string>(perMinion.Count);
            foreach (var (id, value) in perMinion)
            {
                var one = new Dictionary<string, object?>(1, StringComparer.Ordinal) { [id] = value };
                var text = render(one, options).TrimEnd();
                if (text.Length > 0)
                {
                    documents.Add(text);
                }
            }
            return string.Join("\n", documents);
        }
        return render(normalized, options).TrimEnd();
    }
}
