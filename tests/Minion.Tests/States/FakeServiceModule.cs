using Orchestrator.Minion.Modules;

namespace Orchestrator.Minion.Tests.States;

[ExecutionModule("service")]
internal sealed class FakeServiceModule : IExecutionModule
{
    public HashSet<string> Running { get; } = [];

    public HashSet<string> Enabled { get; } = [];

    public List<string> Calls { get; } = [];

    public string Doc => "Fake services.";

    /// <summary>When set, the module has Salt's systemd <c>service.offline</c> and answers this.</summary>
    public bool? Offline { get; set; }

    /// <summary>When set, the module has <c>service.available</c>: true for these names only.</summary>
    public HashSet<string>? Known { get; set; }

    public IReadOnlyList<ModuleFunction> Functions =>
    [
        .. Offline is { } offline ? [new ModuleFunction("offline", "offline", [], (_, _) => Task.FromResult<object?>(offline))] : Array.Empty<ModuleFunction>(),
        .. Known is { } known ? [F("available", known.Contains)] : Array.Empty<ModuleFunction>(),
        F("status", n => Running.Contains(n)),
        F("start", n => Running.Add(n) || true),
        F("stop", n => Running.Remove(n) || true),
        F("restart", n => Running.Add(n) || true),
        F("reload", n => true),
        F("enabled", n => Enabled.Contains(n)),
        F("disabled", n => !Enabled.Contains(n)),
        F("enable", n => Enabled.Add(n) || true),
        F("disable", n => Enabled.Remove(n) || true),
    ];

    private ModuleFunction F(string name, Func<string, bool> body) =>
        new(name, name, [FunctionParameter.Req("name")], (call, _) =>
        {
            Calls.Add($"{name} {call["name"]}");
            return Task.FromResult<object?>(body((string)call["name"]!));
        });
}
