using Orchestrator.Shared.Data;

namespace Orchestrator.Minion.StateEngine.Requisites;

/// <summary>
/// One target reference of a requisite as written: <c>- pkg: nginx</c> is (<c>pkg</c>, <c>nginx</c>), a bare
/// <c>- nginx</c> is (<c>id</c>, <c>nginx</c>), <c>- sls: web</c> matches every state of an SLS.
/// </summary>
public sealed record RequisiteReference(string Key, object? Value)
{
    public string Text => PyText.Str(Value);

    public bool IsSls => Key == "sls";

    /// <summary>The references of a requisite's value (a list), as Salt's <c>check_requisite</c> reads them with <c>trim_req</c>.</summary>
    public static List<RequisiteReference> Parse(object? value)
    {
        var result = new List<RequisiteReference>();
        if (value is not List<object?> list)
        {
            return result;
        }
        foreach (var item in list)
        {
            switch (item)
            {
                case string s:
                    result.Add(new RequisiteReference("id", s));
                    break;
                case Dictionary<string, object?> { Count: > 0 } d:
                    // A requisite written `- file: {name: x}` keeps only the first key and value.
                    var key = d.Keys.First();
                    var val = d[key] is Dictionary<string, object?> inner && inner.Count > 0 ? inner.Values.First() : d[key];
                    result.Add(new RequisiteReference(key, val));
                    break;
            }
        }
        return result;
    }

    public override string ToString() => $"{Key}: {Text}";
}
