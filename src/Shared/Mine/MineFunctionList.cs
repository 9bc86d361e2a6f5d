namespace Orchestrator.Shared.Mine;

/// <summary>Salt's reading of <c>mine.get</c>'s <c>fun</c> argument.</summary>
public static class MineFunctionList
{
    /// <summary>
    /// A comma-separated string gives its distinct names, and the answer is nested by function only when there are several;
    /// a list is always nested (Salt's <c>_ret_dict</c>).
    /// </summary>
    public static (List<string> Functions, bool ByFunction) Parse(object? fun)
    {
        switch (fun)
        {
            case null:
                return ([], false);
            case string text:
                var names = text.Split(',').Distinct(StringComparer.Ordinal).ToList();
                return (names, names.Count > 1);
            case List<object?> list:
                return (list.Select(Data.DataTree.KeyToString).ToList(), true);
            default:
                return ([Data.DataTree.KeyToString(fun)], false);
        }
    }
}
