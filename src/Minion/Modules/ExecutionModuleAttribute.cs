namespace Orchestrator.Minion.Modules;

/// <summary>The Salt-visible name of an execution module (<c>cmd</c>, <c>test</c>, <c>file</c>...).</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class ExecutionModuleAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
