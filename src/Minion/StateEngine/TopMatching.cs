using Orchestrator.Minion.Modules;
using Orchestrator.Shared.Targeting;

namespace Orchestrator.Minion.StateEngine;

/// <summary>Top-file targeting on a minion: each top entry's <c>match</c> type is a Salt target type, checked against this minion.</summary>
public static class TopMatching
{
    public static Func<string, string, bool> For(ModuleContext context) => (expression, matchType) =>
    {
        var type = TargetTypeExtensions.TryParseTargetType(string.IsNullOrEmpty(matchType) ? "glob" : matchType, out var parsed)
            ? parsed
            : throw new ModuleException($"top file: unknown match type '{matchType}'");
        var facts = new MinionFacts(context.MinionId, context.Grains, context.Pillar);
        return TargetMatcher.Matches(expression, type, facts, context.Opt("nodegroups") as IReadOnlyDictionary<string, object?>);
    };
}
