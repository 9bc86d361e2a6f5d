namespace Orchestrator.Master.FileServer.Gitfs;

/// <summary>What one remote's fetch did: whether its refs changed, or why it failed (the cache then keeps its last commits).</summary>
public sealed record GitfsUpdateResult(string Remote, bool Success, bool Changed, string Comment);
