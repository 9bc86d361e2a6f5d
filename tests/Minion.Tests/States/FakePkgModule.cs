using Orchestrator.Minion.Modules;

namespace Orchestrator.Minion.Tests.States;

[ExecutionModule("pkg")]
internal sealed class FakePkgModule : IExecutionModule
{
    public Dictionary<string, string> Installed { get; } = [];

    public Dictionary<string, string> Available { get; } = [];

    public string Doc => "Fake packages.";

    public IReadOnlyList<ModuleFunction> Functions =>
    [
        new("list_pkgs", "list", [], (_, _) => Task.FromResult<object?>(Installed.ToDictionary(kv => kv.Key, kv => (object?)kv.Value))),
        new("install", "install", [FunctionParameter.Opt("name"), FunctionParameter.Opt("pkgs"), FunctionParameter.Opt("version")], (call, _) =>
        {
            var changes = new Dictionary<string, object?>();
            var targets = call["pkgs"] is List<object?> pkgs
                ? pkgs.Select(p => p is Dictionary<string, object?> d ? (d.Keys.First(), (string?)d.Values.First()) : ((string)p!, null)).ToList()
                : [((string)call["name"]!, (string?)call["version"])];
            foreach (var (name, version) in targets)
            {
                var v = version ?? Available.GetValueOrDefault(name, "1.0");
                changes[name] = new Dictionary<string, object?> { ["old"] = Installed.GetValueOrDefault(name, ""), ["new"] = v };
                Installed[name] = v;
            }
            return Task.FromResult<object?>(changes);
        }, true),
        new("remove", "remove", [FunctionParameter.Opt("name"), FunctionParameter.Opt("pkgs")], (call, _) =>
        {
            var names = call["pkgs"] is List<object?> pkgs ? pkgs.Cast<string>().ToList() : [(string)call["name"]!];
            var changes = new Dictionary<string, object?>();
            foreach (var n in names)
            {
                changes[n] = new Dictionary<string, object?> { ["old"] = Installed[n], ["new"] = "" };
                Installed.Remove(n);
            }
            return Task.FromResult<object?>(changes);
        }, true),
        new("latest_version", "latest", [], (call, _) => Task.FromResult<object?>(call.ExtraArgs.Cast<string>().ToDictionary(n => n,
            n => (object?)(Available.TryGetValue(n, out var a) && Installed.GetValueOrDefault(n) != a ? a : ""))), true),
    ];
}
