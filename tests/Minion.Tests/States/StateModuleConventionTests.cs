using System.Reflection;
using System.Text.RegularExpressions;
using Orchestrator.Minion.Modules.States;
using Orchestrator.Minion.StateEngine;

namespace Orchestrator.Minion.Tests.States;

public class StateModuleConventionTests
{
    private static readonly StateModuleRegistry _registry = new StateModuleRegistry().AddBuiltinStateModules();

    [Fact]
    public void EveryStateModuleType_IsRegistered()
    {
        var declared = typeof(StateModuleRegistry).Assembly.GetTypes()
            .Where(t => t.GetCustomAttribute<StateModuleAttribute>() is not null)
            .Select(StateModuleRegistry.NameOf)
            .Order()
            .ToList();
        Assert.Equal(declared, _registry.Modules.Keys.Order().ToList());
    }

    [Fact]
    public void Names_AreSnakeCaseAndFunctionsDocumented()
    {
        foreach (var (name, module) in _registry.Modules)
        {
            Assert.Matches(new Regex("^[a-z][a-z0-9_]*$"), name);
            Assert.False(string.IsNullOrWhiteSpace(module.Doc));
            foreach (var function in module.Functions)
            {
                Assert.Matches(new Regex("^[a-z][a-z0-9_]*$"), function.Name);
                Assert.False(string.IsNullOrWhiteSpace(function.Doc), $"{name}.{function.Name}");
            }
        }
    }

    [Theory]
    [InlineData("cmd")]
    [InlineData("service")]
    [InlineData("test")]
    [InlineData("pkg")]
    public void Watchable_ModulesHaveModWatch(string module)
    {
        Assert.True(_registry.Exists($"{module}.mod_watch"));
    }

    [Theory]
    [InlineData("file")]
    [InlineData("user")]
    [InlineData("archive")]
    public void NonWatchable_ModulesHaveNoModWatch(string module)
    {
        Assert.False(_registry.Exists($"{module}.mod_watch"));
    }
}
