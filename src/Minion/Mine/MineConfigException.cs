namespace Orchestrator.Minion.Mine;

/// <summary>A <c>mine_functions</c> source that is not a mapping of names to definitions; the message names the source.</summary>
public sealed class MineConfigException(string message) : Exception(message);
