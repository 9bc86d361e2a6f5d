namespace Orchestrator.Minion.Transport;

/// <summary>The master no longer knows this minion's session (it restarted, or the key was revoked).</summary>
public sealed class ReauthRequiredException() : Exception("the master asks this minion to authenticate again");
