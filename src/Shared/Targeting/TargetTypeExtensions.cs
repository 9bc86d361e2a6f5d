using System.Diagnostics.CodeAnalysis;

namespace Orchestrator.Shared.Targeting;

/// <summary>Converts <see cref="TargetType"/> values from and to Salt's <c>tgt_type</c> strings.</summary>
public static class TargetTypeExtensions
{
    private static readonly (string Name, TargetType Type)[] _names =
    [
        ("glob", TargetType.Glob),
        ("list", TargetType.List),
        ("pcre", TargetType.Pcre),
        ("grain", TargetType.Grain),
        ("grain_pcre", TargetType.GrainPcre),
        ("pillar", TargetType.Pillar),
        ("pillar_pcre", TargetType.PillarPcre),
        ("ipcidr", TargetType.Subnet),
        ("nodegroup", TargetType.Nodegroup),
        ("compound", TargetType.Compound),
    ];

    /// <summary>Parses a Salt <c>tgt_type</c> string such as <c>glob</c>, <c>grain_pcre</c> or <c>ipcidr</c>.</summary>
    /// <remarks>Matching is case-insensitive and ignores surrounding whitespace; <c>subnet</c> is accepted as an alias of <c>ipcidr</c>.</remarks>
    /// <exception cref="TargetException">The name is not a known target type.</exception>
    public static TargetType ParseTargetType(string name)
    {
        if (TryParseTargetType(name, out var type))
        {
            return type;
        }
        throw new TargetException(
            $"Unknown target type '{name}'; expected one of: {string.Join(", ", _names.Select(n => n.Name))}.");
    }

    /// <summary>Tries to parse a Salt <c>tgt_type</c> string; returns <c>false</c> for unknown names.</summary>
    public static bool TryParseTargetType([NotNullWhen(true)] string? name, out TargetType type)
    {
        var trimmed = name?.Trim();
        if (!string.IsNullOrEmpty(trimmed))
        {
            if (string.Equals(trimmed, "subnet", StringComparison.OrdinalIgnoreCase))
            {
                type = TargetType.Subnet;
                return true;
            }
            foreach (var (candidate, value) in _names)
            {
                if (string.Equals(candidate, trimmed, StringComparison.OrdinalIgnoreCase))
                {
                    type = value;
                    return true;
                }
            }
        }
        type = default;
        return false;
    }

    /// <summary>Returns the Salt <c>tgt_type</c> string for a target type (<see cref="TargetType.Subnet"/> is <c>ipcidr</c>).</summary>
    public static string ToSaltName(this TargetType type)
    {
        foreach (var (name, value) in _names)
        {
            if (value == type)
            {
                return name;
            }
        }
        throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown target type.");
    }
}
