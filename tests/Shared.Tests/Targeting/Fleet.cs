using Orchestrator.Shared.Targeting;

namespace Orchestrator.Shared.Tests.Targeting;

internal static class Fleet
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

    public static MinionFacts Web1 { get; } = new(
        "web1",
        Map(
            ("id", "web1"),
            ("os", "Ubuntu"),
            ("os_family", "Debian"),
            ("osrelease", "22.04"),
            ("num_cpus", 4L),
            ("mem_ratio", 1.5),
            ("is_prod", true),
            ("none_val", null),
            ("empty_dict", Map()),
            ("roles", Seq("web", "cache")),
            ("ipv4", Seq("127.0.0.1", "10.0.0.5")),
            ("ipv6", Seq("::1", "fe80::1", "2001:db8::5")),
            ("locale_info", Map(("defaultencoding", "UTF-8"), ("nested", Map(("deep", "x"))))),
            ("disks", Seq(Map(("name", "sda"), ("size", 100L)), Map(("name", "sdb"))))),
        Map(
            ("role", "webserver"),
            ("env", "prod"),
            ("app", Map(("version", "1.2.3"), ("tags", Seq("blue", "green"))))));

    public static IReadOnlyList<MinionFacts> Four { get; } =
    [
        Host("web1", "Ubuntu", "web", "10.0.0.5", "prod"),
        Host("web2", "CentOS", "web", "10.0.0.6", "dev"),
        Host("db1", "Ubuntu", "db", "10.0.1.7", "prod"),
        Host("db2", "CentOS", "db", "10.0.1.8", "dev"),
    ];

    public static MinionFacts Host(string id, string os, string role, string ip, string env) => new(
        id,
        Map(("id", id), ("os", os), ("roles", Seq(role)), ("ipv4", Seq("127.0.0.1", ip))),
        Map(("env", env), ("role", role)));

    public static string Select(string expression, TargetType type, IReadOnlyDictionary<string, object?>? nodegroups = null) =>
        string.Join(",", TargetMatcher.ExpectedMinions(expression, type, Four, nodegroups));
}
