using Orchestrator.Shared.Rendering.Jinja;
using Orchestrator.Shared.Rendering.Jinja.Builtins;
using Orchestrator.Shared.Rendering.Jinja.Runtime;

namespace Orchestrator.Shared.Data;

/// <summary>
/// Data trees as Python's <c>json.dumps</c> writes them (<c>", "</c> and <c>": "</c> separators, ASCII escapes), for output a
/// Salt user compares byte for byte, such as <c>state.event</c>'s lines. The same writer as Jinja's <c>tojson</c>.
/// </summary>
public static class PythonJson
{
    private static readonly Lazy<JinjaEnvironment> Environment = new(() => new JinjaEnvironment());

    /// <summary>Serializes <paramref name="value"/>; <paramref name="indent"/> null writes one line; with
    /// <paramref name="ensureAscii"/> false, non-ASCII text is written as is (what <c>salt.utils.json.dumps</c> defaults to).</summary>
    public static string Dumps(object? value, bool sortKeys = false, int? indent = null, bool ensureAscii = true) =>
        JsonWriter.Dumps(new RenderState(Environment.Value, null), DataTree.Normalize(value), sortKeys, indent, ensureAscii);
}
