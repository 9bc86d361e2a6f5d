using Orchestrator.Minion.Modules;
using Orchestrator.Minion.StateEngine;

namespace Orchestrator.Minion.Tests.StateEngine;

internal static class StateTestHarnessExtensions
{
    public static async Task<StateRunResult> ApplyWithModulesAsync(string slsText, IEnumerable<IExecutionModule> modules, bool test = false)
    {
        var dir = Directory.CreateTempSubdirectory("orch-sls-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(dir.FullName, "case.sls"), slsText);
            return await new StateTestHarness(dir.FullName, modules).ApplyAsync("case", test);
        }
        finally
        {
            dir.Delete(true);
        }
    }
}
