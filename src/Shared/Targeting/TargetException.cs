namespace Orchestrator.Shared.Targeting;

/// <summary>Thrown when a target expression cannot be compiled: bad regex, unbalanced parentheses, unknown
/// <c>X@</c> prefix, bad CIDR, unknown or cyclic nodegroup, unknown target type.</summary>
/// <remarks>The message names the offending part of the expression so the CLI can show it as-is.</remarks>
public sealed class TargetException : Exception
{
    /// <summary>Creates the exception with a message describing what is wrong with the expression.</summary>
    public TargetException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying error (for example a regex parse error).</summary>
    public TargetException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
