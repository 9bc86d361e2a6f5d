namespace Orchestrator.Master.Events;

/// <summary>
/// A call's arguments as Salt puts them in events (<c>arg</c> of <c>salt/job/&lt;jid&gt;/new</c>, <c>fun_args</c> of returns):
/// the positional ones, then the keyword ones as one mapping marked <c>__kwarg__: True</c>.
/// </summary>
public static class FunArgs
{
    public static List<object?> Of(IEnumerable<object?> args, IReadOnlyDictionary<string, object?> kwargs)
    {
        var list = new List<object?>(args);
        if (kwargs.Count > 0)
        {
            var packed = new Dictionary<string, object?>(StringComparer.Ordinal) { ["__kwarg__"] = true };
            foreach (var (key, value) in kwargs)
            {
                packed[key] = value;
            }
            list.Add(packed);
        }
        return list;
    }
}
