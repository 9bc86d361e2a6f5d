using System.Collections.Generic;

namespace Orchestrator.Generators;

/// <summary>A <c>[MessagePackObject]</c> class with integer keys, as the formatter's code needs it.</summary>
internal sealed class WireType
{
    public WireType(string fullName, string formatterName, IReadOnlyList<WireMember> members)
    {
        FullName = fullName;
        FormatterName = formatterName;
        Members = members;
    }

    /// <summary>The type, fully qualified with <c>global::</c>.</summary>
    public string FullName { get; }

    /// <summary>The generated formatter's class name, unique in the assembly.</summary>
    public string FormatterName { get; }

    /// <summary>The keyed members, by key.</summary>
    public IReadOnlyList<WireMember> Members { get; }
}
