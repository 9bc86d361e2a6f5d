namespace Orchestrator.Minion.StateEngine;

/// <summary>The Salt-visible name of a state module (<c>file</c>, <c>cmd</c>, <c>test</c>...).</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class StateModuleAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
