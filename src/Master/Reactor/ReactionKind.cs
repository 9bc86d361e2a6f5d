namespace Orchestrator.Master.Reactor;

/// <summary>The client a reaction runs through: the part of <c>local.cmd.run</c> before the first dot.</summary>
public enum ReactionKind
{
    /// <summary>Publishes a job to minions (Salt's LocalClient; <c>cmd.</c> is its old alias).</summary>
    Local,

    /// <summary>Runs a runner function on the master.</summary>
    Runner,

    /// <summary>Runs a wheel function (keys) on the master.</summary>
    Wheel,

    /// <summary>Runs an execution module on the master's host through a local <c>orch-minion call --local</c>.</summary>
    Caller,
}
