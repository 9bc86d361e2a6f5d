using Orchestrator.Shared.Data;
using Orchestrator.Shared.Rendering.Jinja.Runtime;

namespace Orchestrator.Shared.Rendering.Jinja.Builtins;

/// <summary>
/// Salt's <c>traverse</c> filter (<c>salt.utils.data.traverse_dict_and_list</c>): <c>data|traverse('a:b:0', default,
/// delimiter)</c> walks mappings by key and lists by index, and gives the default (None) when a step is missing. The key
/// may also be a list of parts or an integer.
/// </summary>
internal static class TraverseFilter
{
    public static object? Traverse(RenderState st, object? data, object? key, object? def, string delimiter)
    {
        if (data is Undefined u)
        {
            throw u.Error();
        }
        IEnumerable<object?> parts = key switch
        {
            string s => s.Split(delimiter),
            long or int => [key],
            List<object?> or PyTuple => Py.ToList(st, key),
            Undefined k => throw k.Error(),
            _ => throw Py.TypeError($"'{Py.TypeName(key)}' object is not iterable"),
        };
        return SaltData.Traverse(data, parts, def);
    }
}
