using Microsoft.CodeAnalysis;

namespace Orchestrator.Generators;

/// <summary>What one <c>[MessagePackObject]</c> class gave: its model, or the error that stops its formatter.</summary>
internal sealed class WireTypeResult
{
    private WireTypeResult(WireType? type, Diagnostic? error)
    {
        Type = type;
        Error = error;
    }

    public WireType? Type { get; }

    public Diagnostic? Error { get; }

    public static WireTypeResult Of(WireType type) => new(type, null);

    public static WireTypeResult Failed(Diagnostic error) => new(null, error);
}
