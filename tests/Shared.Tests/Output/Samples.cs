namespace Orchestrator.Shared.Tests.Output;

internal static class Samples
{
    public static Dictionary<string, object?> Map(params (string Key, object? Value)[] entries)
    {
        var map = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in entries)
        {
            map[key] = value;
        }
        return map;
    }

    public static List<object?> Seq(params object?[] items) => [.. items];

    public static Dictionary<string, object?> Mixed() => Map(("web1", Map(
        ("a", "x\ny"),
        ("b", Seq()),
        ("c", Map()),
        ("d", null),
        ("e", false),
        ("f", 1L),
        ("g", 1.5),
        ("h", Seq("p", Map(("q", 1L), ("r", Seq(1L, 2L))), Seq("r", "s"), Seq(), Map())),
        ("i", ""),
        ("z_last", Map(("k", Map(("deep", true))))))));

    public static Dictionary<string, object?> TwoMinions() => Map(("web2", true), ("web1", false));
}
