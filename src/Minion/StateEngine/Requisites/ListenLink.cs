namespace Orchestrator.Minion.StateEngine.Requisites;

/// <summary>
/// One <c>listen</c> (or <c>listen_in</c>) reference resolved as Salt's <c>call_listen</c> resolves it: the watched chunk
/// and the chunks whose <c>mod_watch</c> its changes trigger. <see cref="Watched"/> is null when no state matches the
/// reference (an error in every run); <see cref="Listeners"/> is empty when the listening state itself does not exist
/// (an error once the watched one changes). <see cref="Missing"/> names what is missing in either case.
/// </summary>
public sealed record ListenLink(LowChunk? Watched, IReadOnlyList<LowChunk> Listeners, (string State, string Id) Missing);
