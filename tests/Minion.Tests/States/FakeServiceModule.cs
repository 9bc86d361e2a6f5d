using Orchestrator.Minion.Modules;

namespace Orchestrator.Minion.Tests.States;

[ExecutionModule("service")]
internal sealed class FakeServiceModule : IExecutionModule
{
    public HashSet<string> Running { get; } = [];

    public HashSet<string> Enabled { get; } = [];

    public List<string> Calls { get; } = [];

    public string Doc => "Fake services.";

    public IReadOnlyList<ModuleFunction> Functions =>
    [
        F("status", n => Running.Contains(n)),
        F("start", n => Running.Add(n) || true),
        F("stop", n => Running.Remove(n) || true),
        F("restart", n => Running.Add(n) || true),
        F("reload", n => true),
        F("enabled", n => Enabled.Contains(n)),
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
