namespace Orchestrator.Master.Cloud;

/// <summary>What the master remembers of a node it created: enough to list it, find its process and tear it down.</summary>
/// <param name="Name">The node's name and minion id.</param>
/// <param name="Provider">The provider's alias.</param>
/// <param name="Driver">The provider's driver.</param>
/// <param name="Profile">The profile it was made from (null: from a provider alone).</param>
/// <param name="RootDir">The minion's own root: its config, keys, cache, log and pid file.</param>
/// <param name="Created">When it was created (UTC, ISO 8601).</param>
public sealed record CloudNode(string Name, string Provider, string Driver, string? Profile, string RootDir, string Created)
{
    /// <summary>The minion process id, once started.</summary>
    public int? Pid { get; init; }

    /// <summary>The node's own address (netns), if it has one apart from the host's.</summary>
    public string? Address { get; init; }

    /// <summary>The master's address as the node reaches it.</summary>
    public string? MasterAddress { get; init; }

    /// <summary>The network namespace (netns driver).</summary>
    public string? Namespace { get; init; }

    /// <summary>The host end of the node's veth pair (netns driver).</summary>
    public string? HostVeth { get; init; }

    /// <summary>The pid file the minion's process id is kept in.</summary>
    public string PidFile => Path.Combine(RootDir, "minion.pid");
}
