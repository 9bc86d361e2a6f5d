using Orchestrator.Minion.StateEngine;

namespace Orchestrator.Minion.Modules.States;

/// <summary>The one list of built-in state modules (the lead merges it with the execution module list).</summary>
public static class BuiltinStateModules
{
    public static StateModuleRegistry AddBuiltinStateModules(this StateModuleRegistry registry) => registry
        .Add(new AlternativesState())
        .Add(new ArchiveState())
        .Add(new CmdState())
        .Add(new CronState())
        .Add(new DebconfState())
        .Add(new FileState())
        .Add(new GitState())
        .Add(new GroupState())
        .Add(new HostState())
        .Add(new LocaleState())
        .Add(new ModuleState())
        .Add(new MountState())
        .Add(new PkgState())
        .Add(new PkgRepoState())
        .Add(new ServiceState())
        .Add(new SshAuthState())
        .Add(new SshKnownHostsState())
        .Add(new SysctlState())
        .Add(new TestState())
        .Add(new TimezoneState())
        .Add(new UserState());
}
