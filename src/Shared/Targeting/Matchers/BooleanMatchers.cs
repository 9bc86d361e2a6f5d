namespace Orchestrator.Shared.Targeting.Matchers;

/// <summary>All operands must match (compound <c>and</c>).</summary>
internal sealed class AndMatcher(ITargetMatcher[] operands) : ITargetMatcher
{
    public IReadOnlyList<ITargetMatcher> Operands => operands;

    public bool Matches(MinionFacts facts)
    {
        foreach (var operand in operands)
        {
            if (!operand.Matches(facts))
            {
                return false;
            }
        }
        return true;
    }

    public override string ToString() => "(" + string.Join(" and ", operands.Select(o => o.ToString())) + ")";
}

/// <summary>Any operand must match (compound <c>or</c>, and list-of-globs nodegroups).</summary>
internal sealed class OrMatcher(ITargetMatcher[] operands) : ITargetMatcher
{
    public IReadOnlyList<ITargetMatcher> Operands => operands;

    public bool Matches(MinionFacts facts)
    {
        foreach (var operand in operands)
        {
            if (operand.Matches(facts))
            {
                return true;
            }
        }
        return false;
    }

    public override string ToString() => "(" + string.Join(" or ", operands.Select(o => o.ToString())) + ")";
}

/// <summary>Negates its operand (compound <c>not</c>).</summary>
internal sealed class NotMatcher(ITargetMatcher operand) : ITargetMatcher
{
    public ITargetMatcher Operand => operand;

    public bool Matches(MinionFacts facts) => !operand.Matches(facts);

    public override string ToString() => "not " + operand;
}
